namespace MedServe.Inference.Batching;

/// <summary>
/// Runs one graph call for a batch of rows that share a bucket, returning one output per input, in order.
/// </summary>
/// <typeparam name="TKey">The bucket: what rows must have in common to share a run (a graph, a tensor shape).</typeparam>
/// <typeparam name="TInput">One row's prepared input.</typeparam>
/// <typeparam name="TOutput">One row's output.</typeparam>
/// <param name="key">The bucket of every row in <paramref name="inputs"/>.</param>
/// <param name="inputs">The rows, at least one and at most the batch size.</param>
/// <param name="cancellationToken">Cancelled when every request with a row in the batch has given up.</param>
public delegate IReadOnlyList<TOutput> BatchRunner<TKey, TInput, TOutput>(TKey key, IReadOnlyList<TInput> inputs, CancellationToken cancellationToken);
