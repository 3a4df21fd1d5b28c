using MedServe.Models.Scoring;

namespace MedServe.Cli.Bench;

/// <summary>
/// The server's scoring pipeline without HTTP: parse the body, score it, keep the status.
/// <code>
/// body bytes ─ScoringFrameParser.TryParse→ frame ─IScoringModel.ScoreAsync→ status (+ JSON body, dropped)
/// </code>
/// </summary>
internal sealed class InProcessBenchTarget(IScoringModel model, byte[] body, string directory) : IBenchTarget
{
    public string Description => "in-process " + directory;

    public async Task<int> SendAsync(CancellationToken cancellationToken)
    {
        // Yield first so concurrent workers really run in parallel, as requests on the thread pool do.
        await Task.Yield();
        using var frame = ScoringFrameParser.TryParse(body, out _);
        if (frame is null)
        {
            return 400;
        }

        try
        {
            var result = await model.ScoreAsync(frame, cancellationToken).ConfigureAwait(false);
            return result.StatusCode;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            // Ctrl+C: a graph run stopped through RunOptions.Terminate throws ONNX Runtime's own exception.
            return Outcome.Cancelled;
        }
    }

    public void Dispose() => model.Dispose();
}
