using MedServe.Models.Scoring;

namespace MedServe.Server.Hosting;

/// <summary>An endpoint the server answers at <c>/endpoints/{name}/score</c>, backed by one deployment.</summary>
/// <param name="Name">The endpoint name (the package name).</param>
/// <param name="DeploymentName">The deployment that serves it, reported in <c>azureml-model-deployment</c>.</param>
/// <param name="Model">The loaded model.</param>
public sealed record ServedEndpoint(string Name, string DeploymentName, IScoringModel Model);
