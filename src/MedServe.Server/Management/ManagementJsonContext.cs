using System.Text.Json.Serialization;
using MedServe.Server.Configuration;

namespace MedServe.Server.Management;

/// <summary>JSON of the management API and the state database (snake_case keys, unknown keys refused).</summary>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(EndpointSpec))]
[JsonSerializable(typeof(DeploymentSpec))]
[JsonSerializable(typeof(EndpointView))]
[JsonSerializable(typeof(IReadOnlyList<EndpointView>))]
[JsonSerializable(typeof(DeploymentView))]
[JsonSerializable(typeof(IReadOnlyList<DeploymentView>))]
[JsonSerializable(typeof(EndpointKeys))]
[JsonSerializable(typeof(RegenerateKeysRequest))]
[JsonSerializable(typeof(AccessToken))]
[JsonSerializable(typeof(IReadOnlyList<AuditRecord>))]
[JsonSerializable(typeof(AuditRecord))]
public sealed partial class ManagementJsonContext : JsonSerializerContext;
