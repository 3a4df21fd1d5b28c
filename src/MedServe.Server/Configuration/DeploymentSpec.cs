using System.Text.Json.Serialization;

namespace MedServe.Server.Configuration;

/// <summary>An online deployment, as its Azure YAML (and the management API's JSON) describes it.</summary>
/// <remarks>
/// The spec types (this one, <see cref="EndpointSpec"/>, <see cref="RequestSettings"/>,
/// <see cref="ProbeSettings"/>, <see cref="BatchingSettings"/>) have settable properties so that JSON
/// missing a key keeps its documented default: System.Text.Json's source generator sets every init-only
/// property (dotnet/runtime#84484), and the state database holds specs written by older versions.
/// </remarks>
public sealed record DeploymentSpec
{
    /// <summary>The deployment name, unique within its endpoint.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; set; }

    /// <summary>The endpoint the deployment belongs to.</summary>
    [JsonPropertyName("endpoint_name")]
    public required string EndpointName { get; set; }

    /// <summary>The model package folder (an absolute path once read from a file).</summary>
    [JsonPropertyName("model")]
    public required string Model { get; set; }

    /// <summary>Accepted for compatibility and shown back; MedServe runs on the machine it is on. <value>The default is null.</value></summary>
    [JsonPropertyName("instance_type")]
    public string? InstanceType { get; set; }

    /// <summary>Parallel model instances (each with its own ONNX Runtime sessions). <value>The default is 1.</value></summary>
    [JsonPropertyName("instance_count")]
    public int InstanceCount { get; set; } = 1;

    /// <summary>Time limit and concurrency. <value>The default is the hosted defaults.</value></summary>
    [JsonPropertyName("request_settings")]
    public RequestSettings RequestSettings { get; set; } = new();

    /// <summary>MedServe's own key: dynamic batching of the encoder graphs. <value>The default is on, with the package's batch size and no queue delay.</value></summary>
    [JsonPropertyName("batching")]
    public BatchingSettings Batching { get; set; } = new();

    /// <summary>Liveness probe settings (recorded for an orchestrator). <value>The default is the hosted defaults.</value></summary>
    [JsonPropertyName("liveness_probe")]
    public ProbeSettings LivenessProbe { get; set; } = new();

    /// <summary>Readiness probe settings (recorded for an orchestrator). <value>The default is the hosted defaults.</value></summary>
    [JsonPropertyName("readiness_probe")]
    public ProbeSettings ReadinessProbe { get; set; } = new();

    /// <summary>Accepted and shown back; MedServe does not change its own environment per deployment. <value>The default is empty.</value></summary>
    [JsonPropertyName("environment_variables")]
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; set; } = new Dictionary<string, string>();

    // ONNX Runtime session settings (MedServe's own keys; DeploymentSessionSettings maps them onto sessions).

    /// <summary>MedServe's own key: the ONNX Runtime execution provider, <c>cpu</c> or <c>cuda</c>. <value>The default is <c>cpu</c>.</value></summary>
    [JsonPropertyName("execution_provider")]
    public string ExecutionProvider { get; set; } = DeploymentSessionSettings.Cpu;

    /// <summary>MedServe's own key: the GPU ordinal when <see cref="ExecutionProvider"/> is <c>cuda</c>. <value>The default is 0.</value></summary>
    [JsonPropertyName("device_id")]
    public int DeviceId { get; set; }

    /// <summary>MedServe's own key: intra-op threads per session, 0 lets ONNX Runtime choose. <value>The default is 0.</value></summary>
    [JsonPropertyName("intra_op_threads")]
    public int IntraOpThreads { get; set; }

    /// <summary>MedServe's own key: inter-op threads per session (parallel mode only), 0 lets ONNX Runtime choose. <value>The default is 0.</value></summary>
    [JsonPropertyName("inter_op_threads")]
    public int InterOpThreads { get; set; }

    /// <summary>MedServe's own key: <c>sequential</c> or <c>parallel</c> (independent operators at once). <value>The default is <c>sequential</c>.</value></summary>
    [JsonPropertyName("execution_mode")]
    public string ExecutionMode { get; set; } = DeploymentSessionSettings.Sequential;

    /// <summary>MedServe's own key: <c>disable</c>, <c>basic</c>, <c>extended</c> or <c>all</c>. <value>The default is <c>all</c>.</value></summary>
    [JsonPropertyName("graph_optimization_level")]
    public string GraphOptimizationLevel { get; set; } = DeploymentSessionSettings.All;

    /// <summary>MedServe's own key: ONNX Runtime's CPU memory arena. <value>The default is true.</value></summary>
    [JsonPropertyName("enable_cpu_mem_arena")]
    public bool EnableCpuMemArena { get; set; } = true;

    /// <summary>MedServe's own key: ONNX Runtime's memory pattern planning. <value>The default is true.</value></summary>
    [JsonPropertyName("enable_memory_pattern")]
    public bool EnableMemoryPattern { get; set; } = true;

    /// <summary>Whether ONNX Runtime's worker threads spin while waiting for work (see <see cref="Inference.Runtime.SessionSettings.AllowSpinning"/>). <value>The default is false.</value></summary>
    [JsonPropertyName("allow_spinning")]
    public bool AllowSpinning { get; set; }
}
