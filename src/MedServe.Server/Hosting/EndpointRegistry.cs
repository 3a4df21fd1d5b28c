namespace MedServe.Server.Hosting;

/// <summary>The endpoints a server answers; the first is the default one at <c>/score</c>.</summary>
public sealed class EndpointRegistry : IDisposable
{
    private readonly Dictionary<string, ServedEndpoint> _byName;

    /// <summary>Creates the registry; names must be unique and at least one endpoint given.</summary>
    public EndpointRegistry(IReadOnlyList<ServedEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one endpoint is needed", nameof(endpoints));
        }

        _byName = new Dictionary<string, ServedEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            if (!_byName.TryAdd(endpoint.Name, endpoint))
            {
                throw new ArgumentException($"two packages are named '{endpoint.Name}'; endpoint names must be unique", nameof(endpoints));
            }
        }

        Endpoints = endpoints;
    }

    /// <summary>Every endpoint, the default first.</summary>
    public IReadOnlyList<ServedEndpoint> Endpoints { get; }

    /// <summary>The endpoint at <c>/score</c>.</summary>
    public ServedEndpoint Default => Endpoints[0];

    /// <summary>Finds an endpoint by name.</summary>
    public bool TryGet(string name, out ServedEndpoint endpoint) => _byName.TryGetValue(name, out endpoint!);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var endpoint in Endpoints)
        {
            endpoint.Model.Dispose();
        }
    }
}
