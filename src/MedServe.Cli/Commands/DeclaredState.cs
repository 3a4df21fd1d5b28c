using MedServe.Server.Configuration;

namespace MedServe.Cli.Commands;

/// <summary>The endpoint and deployment files a <c>serve --config</c> file names, read and validated.</summary>
/// <param name="Endpoints">The endpoints, in file order.</param>
/// <param name="Deployments">The deployments, in file order.</param>
internal sealed record DeclaredState(IReadOnlyList<EndpointSpec> Endpoints, IReadOnlyList<DeploymentSpec> Deployments)
{
    public bool IsEmpty => Endpoints.Count == 0 && Deployments.Count == 0;
}
