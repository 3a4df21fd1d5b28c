using MedServe.Models.Scoring;
using MedServe.Server.Configuration;

namespace MedServe.Server.Deployments;

/// <summary>
/// Loads one instance of a deployment's model (called <c>instance_count</c> times, each instance with its
/// own sessions). Throws <see cref="MedServe.Inference.Packages.ModelPackageException"/> for a refused package.
/// </summary>
/// <param name="deployment">The deployment being loaded.</param>
/// <param name="instance">The instance number, from 0.</param>
public delegate IScoringModel DeploymentModelFactory(DeploymentSpec deployment, int instance);
