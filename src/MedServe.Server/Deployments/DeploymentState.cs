namespace MedServe.Server.Deployments;

/// <summary>Where a deployment is in its life.</summary>
internal enum DeploymentState
{
    /// <summary>Its package is loading; requests get 503.</summary>
    Loading,

    /// <summary>Loaded and serving; the warm-up inference has not finished yet (not ready).</summary>
    Serving,

    /// <summary>Loaded, warmed up, serving: ready.</summary>
    Ready,

    /// <summary>Its package failed to load; requests get 503 and <c>deployment show</c> says why.</summary>
    Failed,
}
