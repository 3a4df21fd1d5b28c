using System.Collections.Concurrent;
using MedServe.Server.Deployments;

namespace MedServe.Server.Hosting;

/// <summary>
/// The endpoints a server answers, at run time. It starts from the models loaded before start
/// (<see cref="ServedEndpoint"/>s, the first one the default at <c>/score</c>) and from the state
/// database; the management API adds, changes and removes endpoints while the server runs.
/// </summary>
public sealed class EndpointRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, LiveEndpoint> _live = new(StringComparer.Ordinal);
    private long _order;
    private int _started;

    /// <summary>Creates a registry with no endpoint (they come from the state database or the management API).</summary>
    public EndpointRegistry()
        : this([])
    {
    }

    /// <summary>Creates the registry from models loaded before start; names must be unique.</summary>
    public EndpointRegistry(IReadOnlyList<ServedEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            if (!names.Add(endpoint.Name))
            {
                throw new ArgumentException($"two packages are named '{endpoint.Name}'; endpoint names must be unique", nameof(endpoints));
            }
        }

        Seeds = endpoints;
    }

    /// <summary>The models loaded before start, in the order given.</summary>
    public IReadOnlyList<ServedEndpoint> Seeds { get; }

    /// <summary>The endpoint served at <c>/score</c>, or null when there is none.</summary>
    public string? DefaultName { get; internal set; }

    /// <summary>The names of every endpoint, oldest first.</summary>
    public IReadOnlyList<string> Names => [.. All.Select(e => e.Name)];

    internal IEnumerable<LiveEndpoint> All => _live.Values.OrderBy(e => e.Order);

    /// <summary>Completes when every deployment loaded now is ready or has failed.</summary>
    public Task WhenSettledAsync() => Task.WhenAll(All.SelectMany(e => e.Deployments.Values).Select(d => d.Settled));

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _started, 2) == 0)
        {
            foreach (var seed in Seeds)
            {
                seed.Model.Dispose();
            }
        }

        foreach (var endpoint in _live.Values)
        {
            foreach (var deployment in endpoint.Deployments.Values)
            {
                deployment.Previous?.Retire();
                deployment.Retire();
            }
        }
    }

    internal void MarkStarted() => Interlocked.CompareExchange(ref _started, 1, 0);

    internal bool TryGet(string name, out LiveEndpoint endpoint) => _live.TryGetValue(name, out endpoint!);

    internal void Add(LiveEndpoint endpoint)
    {
        endpoint.Order = Interlocked.Increment(ref _order);
        _live[endpoint.Name] = endpoint;
    }

    internal bool Remove(string name, out LiveEndpoint endpoint) => _live.TryRemove(name, out endpoint!);
}
