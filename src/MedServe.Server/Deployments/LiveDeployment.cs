using System.Threading.Channels;
using MedServe.Models.Scoring;
using MedServe.Server.Configuration;

namespace MedServe.Server.Deployments;

/// <summary>
/// A deployment at run time: its model instances, the admission count and the instance slots.
/// <code>
/// TryEnter (in flight ≤ 2 × max_concurrent × instances, else 429) ─► AcquireAsync (wait for a slot:
/// max_concurrent per instance) ─► score on that instance ─► Release ─► Exit
/// </code>
/// A replaced or deleted deployment is retired: it takes no new requests and its models are disposed
/// when the last request in flight leaves.
/// </summary>
internal sealed class LiveDeployment
{
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<int> _slots = Channel.CreateUnbounded<int>();
    private IScoringModel[] _models = [];
    private int _inFlight;
    private int _retired;
    private int _disposed;

    public LiveDeployment(DeploymentSpec spec, LiveDeployment? previous = null)
    {
        Spec = spec;
        Previous = previous;
        InFlightLimit = 2 * spec.RequestSettings.MaxConcurrentRequestsPerInstance * spec.InstanceCount;
    }

    public DeploymentSpec Spec { get; }

    /// <summary>The deployment this one replaces; it keeps serving until this one is loaded.</summary>
    public LiveDeployment? Previous { get; private set; }

    public DeploymentState State { get; private set; } = DeploymentState.Loading;

    public string? FailureReason { get; private set; }

    public ModelDescriptor? Descriptor => _models.Length > 0 ? _models[0].Descriptor : null;

    public string PackageSha256 { get; private set; } = "";

    public int InFlight => Volatile.Read(ref _inFlight);

    public int InFlightLimit { get; }

    public int InstanceCount => _models.Length;

    /// <summary>Completes when the deployment is ready or failed.</summary>
    public Task Settled => _settled.Task;

    /// <summary>The deployment that answers now: this one once loaded, else the one it replaces while that still serves.</summary>
    public LiveDeployment Current =>
        State == DeploymentState.Loading && Previous is { State: DeploymentState.Serving or DeploymentState.Ready } previous ? previous : this;

    public void SetLoaded(IScoringModel[] models, string packageSha256)
    {
        _models = models;
        PackageSha256 = packageSha256;
        for (int slot = 0; slot < Spec.RequestSettings.MaxConcurrentRequestsPerInstance; slot++)
        {
            for (int instance = 0; instance < models.Length; instance++)
            {
                _slots.Writer.TryWrite(instance);
            }
        }

        State = DeploymentState.Serving;
        var previous = Previous;
        Previous = null;
        previous?.Retire();
        if (Volatile.Read(ref _retired) == 1)
        {
            DisposeModels();
        }
    }

    public void SetReady()
    {
        State = DeploymentState.Ready;
        _settled.TrySetResult();
    }

    public void SetWarmUpFailed(string reason)
    {
        FailureReason = reason;
        _settled.TrySetResult();
    }

    /// <summary>True once loading and the warm-up have finished, whatever their outcome.</summary>
    public bool IsSettled => _settled.Task.IsCompleted;

    public void SetFailed(string reason)
    {
        FailureReason = reason;
        State = DeploymentState.Failed;
        var previous = Previous;
        Previous = null;
        previous?.Retire();
        _settled.TrySetResult();
    }

    /// <summary>Admits a request unless the in-flight limit is reached or the deployment is retired.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) > InFlightLimit || Volatile.Read(ref _retired) == 1)
        {
            Exit();
            return false;
        }

        return true;
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _retired) == 1)
        {
            DisposeModels();
        }
    }

    public bool IsRetired => Volatile.Read(ref _retired) == 1;

    /// <summary>Waits for a free instance slot; returns the instance's index.</summary>
    public ValueTask<int> AcquireAsync(CancellationToken cancellationToken) => _slots.Reader.ReadAsync(cancellationToken);

    public IScoringModel Model(int instance) => _models[instance];

    public void Release(int instance) => _slots.Writer.TryWrite(instance);

    /// <summary>Takes no new requests; the models go when the last request leaves.</summary>
    public void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0 && Volatile.Read(ref _inFlight) == 0)
        {
            DisposeModels();
        }

        _settled.TrySetResult();
    }

    private void DisposeModels()
    {
        if (_models.Length == 0 || Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var model in _models)
        {
            model.Dispose();
        }
    }
}
