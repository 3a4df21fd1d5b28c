using MedServe.Server.Configuration;

namespace MedServe.Server.State;

/// <summary>An endpoint row: its spec and both keys.</summary>
internal sealed record StoredEndpoint(EndpointSpec Spec, StoredKey Primary, StoredKey Secondary, DateTimeOffset CreatedUtc);
