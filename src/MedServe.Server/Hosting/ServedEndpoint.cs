using MedServe.Models.Scoring;

namespace MedServe.Server.Hosting;

/// <summary>
/// A model loaded before the server starts (a package folder on the command line, or an in-process
/// model in a test). The server makes it an endpoint with one deployment that takes all the traffic,
/// authenticated by the server's primary and secondary keys.
/// </summary>
/// <param name="Name">The endpoint name (the package name).</param>
/// <param name="DeploymentName">The deployment that serves it, reported in <c>azureml-model-deployment</c>.</param>
/// <param name="Model">The loaded model.</param>
/// <param name="PackageDirectory">The package folder it was loaded from; null for an in-process model.</param>
public sealed record ServedEndpoint(string Name, string DeploymentName, IScoringModel Model, string? PackageDirectory = null);
