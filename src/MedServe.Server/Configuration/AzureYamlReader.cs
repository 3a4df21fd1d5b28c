using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MedServe.Server.Configuration;

/// <summary>
/// Reads Azure ML online-endpoint and online-deployment YAML files. Every problem is reported as
/// <c>FILE: KEY: problem</c> (with the line for syntax errors); unknown keys are refused, not ignored.
/// A relative <c>model</c> path is resolved against the file's folder.
/// </summary>
public static class AzureYamlReader
{
    private static readonly string[] EndpointKeys = ["$schema", "name", "auth_mode", "description", "traffic", "mirror_traffic", "tags"];

    private static readonly string[] DeploymentKeys =
    [
        "$schema", "name", "endpoint_name", "model", "instance_type", "instance_count", "request_settings",
        "liveness_probe", "readiness_probe", "environment_variables", "description", "tags", "app_insights_enabled",
        "execution_provider", "device_id", "intra_op_threads", "inter_op_threads", "execution_mode", "graph_optimization_level",
        "enable_cpu_mem_arena", "enable_memory_pattern", "allow_spinning",
    ];

    /// <summary>MedServe's own mappings in a deployment file, besides the Azure keys.</summary>
    private static readonly string[] MedServeBlockKeys = ["batching"];

    private static readonly string[] BatchingKeys = ["enabled", "max_batch_size", "max_queue_delay_ms"];

    private static readonly string[] RequestSettingKeys = ["request_timeout_ms", "max_concurrent_requests_per_instance", "max_queue_wait_ms"];

    private static readonly string[] ProbeKeys = ["initial_delay", "period", "timeout", "success_threshold", "failure_threshold"];

    /// <summary>Reads and validates an endpoint file. Throws <see cref="ConfigurationException"/>.</summary>
    public static EndpointSpec ReadEndpoint(string path)
    {
        var (file, root) = Load(path);
        var problems = new List<string>();
        Unknown(problems, root, "", EndpointKeys, "an endpoint");
        var spec = new EndpointSpec
        {
            Name = Text(problems, root, "name") ?? "",
            AuthMode = Text(problems, root, "auth_mode") ?? AuthModes.Key,
            Description = Text(problems, root, "description"),
            Traffic = Weights(problems, root, "traffic"),
            MirrorTraffic = Weights(problems, root, "mirror_traffic"),
        };
        return Finish(file, problems, spec, SpecValidator.Validate(spec));
    }

    /// <summary>Reads and validates a deployment file. Throws <see cref="ConfigurationException"/>.</summary>
    public static DeploymentSpec ReadDeployment(string path)
    {
        var (file, root) = Load(path);
        var problems = new List<string>();
        Unknown(problems, root, "", [.. DeploymentKeys, .. MedServeBlockKeys], "a deployment");
        string? model = Model(problems, root);
        var defaults = new DeploymentSpec { Name = "", EndpointName = "", Model = "" };
        var settingsNode = Map(problems, root, "request_settings");
        var settings = new RequestSettings();
        if (settingsNode is not null)
        {
            Unknown(problems, settingsNode, "request_settings.", RequestSettingKeys, "request_settings");
            settings = new RequestSettings
            {
                RequestTimeoutMs = Int(problems, settingsNode, "request_settings.", "request_timeout_ms") ?? settings.RequestTimeoutMs,
                MaxConcurrentRequestsPerInstance = Int(problems, settingsNode, "request_settings.", "max_concurrent_requests_per_instance") ?? settings.MaxConcurrentRequestsPerInstance,
                MaxQueueWaitMs = Int(problems, settingsNode, "request_settings.", "max_queue_wait_ms") ?? settings.MaxQueueWaitMs,
            };
        }

        var spec = defaults with
        {
            Name = Text(problems, root, "name") ?? "",
            EndpointName = Text(problems, root, "endpoint_name") ?? "",
            Model = model is null ? "" : Path.GetFullPath(model, Path.GetDirectoryName(Path.GetFullPath(path))!),
            InstanceType = Text(problems, root, "instance_type"),
            InstanceCount = Int(problems, root, "", "instance_count") ?? defaults.InstanceCount,
            RequestSettings = settings,
            Batching = Batching(problems, root, defaults.Batching),
            LivenessProbe = Probe(problems, root, "liveness_probe"),
            ReadinessProbe = Probe(problems, root, "readiness_probe"),
            EnvironmentVariables = Strings(problems, root, "environment_variables"),
        };
        spec = SessionKeys(problems, root, spec);
        if (model is null && !problems.Any(p => p.StartsWith("model:", StringComparison.Ordinal)))
        {
            problems.Add("model: the model package folder is missing");
        }

        var validation = SpecValidator.Validate(spec).Where(p => !(model is null && p.StartsWith("model:", StringComparison.Ordinal))).ToList();
        return Finish(file, problems, spec, validation);
    }

    /// <summary>The ONNX Runtime keys (see <see cref="DeploymentSessionSettings"/>); an absent or null key keeps its default.</summary>
    private static DeploymentSpec SessionKeys(List<string> problems, YamlMappingNode root, DeploymentSpec spec) => spec with
    {
        ExecutionProvider = Text(problems, root, "execution_provider") ?? spec.ExecutionProvider,
        DeviceId = Int(problems, root, "", "device_id") ?? spec.DeviceId,
        IntraOpThreads = Int(problems, root, "", "intra_op_threads") ?? spec.IntraOpThreads,
        InterOpThreads = Int(problems, root, "", "inter_op_threads") ?? spec.InterOpThreads,
        ExecutionMode = Text(problems, root, "execution_mode") ?? spec.ExecutionMode,
        GraphOptimizationLevel = Text(problems, root, "graph_optimization_level") ?? spec.GraphOptimizationLevel,
        EnableCpuMemArena = Bool(problems, root, "", "enable_cpu_mem_arena") ?? spec.EnableCpuMemArena,
        EnableMemoryPattern = Bool(problems, root, "", "enable_memory_pattern") ?? spec.EnableMemoryPattern,
        AllowSpinning = Bool(problems, root, "", "allow_spinning") ?? spec.AllowSpinning,
    };

    private static T Finish<T>(string file, List<string> problems, T spec, IReadOnlyList<string> validation)
    {
        // Validation repeats what reading already refused (a missing name); keep the first report of a key.
        var keys = problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(validation.Where(p => !keys.Contains(p[..p.IndexOf(':', StringComparison.Ordinal)])));
        if (problems.Count > 0)
        {
            throw new ConfigurationException(file, [.. problems.Select(p => $"{file}: {p}")]);
        }

        return spec;
    }

    private static (string File, YamlMappingNode Root) Load(string path)
    {
        string file = Path.GetFileName(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(file, [$"{path}: cannot read the file ({ex.Message})"]);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException(file, [string.Create(CultureInfo.InvariantCulture, $"{file} (line {ex.Start.Line}): not valid YAML: {ex.Message}")]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigurationException(file, [$"{file}: the file must hold one YAML mapping (key: value lines)"]);
        }

        return (file, root);
    }

    private static void Unknown(List<string> problems, YamlMappingNode map, string prefix, string[] known, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            string name = (key as YamlScalarNode)?.Value ?? "?";
            if (name is "code_configuration" or "environment")
            {
                problems.Add($"{prefix}{name}: MedServe serves model packages, not scoring scripts or environments; remove the key and point 'model' at a package folder");
            }
            else if (!known.Contains(name, StringComparer.Ordinal))
            {
                problems.Add($"{prefix}{Cut(name)}: is not a key of {what} (known: {string.Join(", ", known.Where(k => k != "$schema"))})");
            }
        }
    }

    private static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };

    private static string? Text(List<string> problems, YamlMappingNode map, string key)
    {
        var node = Get(map, key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        problems.Add($"{key}: must be a single value, not a list or mapping");
        return null;
    }

    private static int? Int(List<string> problems, YamlMappingNode map, string prefix, string key)
    {
        var node = Get(map, key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain } scalar
            && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        problems.Add($"{prefix}{key}: must be a whole number, not '{Cut(Describe(node))}'");
        return null;
    }

    private static BatchingSettings Batching(List<string> problems, YamlMappingNode root, BatchingSettings defaults)
    {
        const string prefix = "batching.";
        var node = Map(problems, root, "batching");
        if (node is null)
        {
            return defaults;
        }

        Unknown(problems, node, prefix, BatchingKeys, "batching");
        return new BatchingSettings
        {
            Enabled = Bool(problems, node, prefix, "enabled") ?? defaults.Enabled,
            MaxBatchSize = Int(problems, node, prefix, "max_batch_size") ?? defaults.MaxBatchSize,
            MaxQueueDelayMs = Int(problems, node, prefix, "max_queue_delay_ms") ?? defaults.MaxQueueDelayMs,
        };
    }

    private static bool? Bool(List<string> problems, YamlMappingNode map, string prefix, string key)
    {
        var node = Get(map, key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        // YAML 1.2's core schema: only true and false (any case), never yes/no or a quoted string.
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } scalar && bool.TryParse(scalar.Value, out bool value))
        {
            return value;
        }

        problems.Add($"{prefix}{key}: must be true or false, not '{Cut(Describe(node))}'");
        return null;
    }

    private static YamlMappingNode? Map(List<string> problems, YamlMappingNode map, string key)
    {
        var node = Get(map, key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        problems.Add($"{key}: must be a mapping of keys to values");
        return null;
    }

    private static Dictionary<string, int> Weights(List<string> problems, YamlMappingNode map, string key)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var node = Map(problems, map, key);
        if (node is null)
        {
            return result;
        }

        foreach (var (k, v) in node.Children)
        {
            string name = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlScalarNode { Style: ScalarStyle.Plain } scalar
                && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int weight))
            {
                if (!result.TryAdd(name, weight))
                {
                    problems.Add($"{key}.{Cut(name)}: is given twice");
                }
            }
            else
            {
                problems.Add($"{key}.{Cut(name)}: must be a whole percentage, not '{Cut(Describe(v))}'");
            }
        }

        return result;
    }

    private static Dictionary<string, string> Strings(List<string> problems, YamlMappingNode map, string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = Map(problems, map, key);
        if (node is null)
        {
            return result;
        }

        foreach (var (k, v) in node.Children)
        {
            string name = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlScalarNode scalar)
            {
                result[name] = scalar.Value ?? "";
            }
            else
            {
                problems.Add($"{key}.{Cut(name)}: must be a single value");
            }
        }

        return result;
    }

    private static ProbeSettings Probe(List<string> problems, YamlMappingNode map, string key)
    {
        var defaults = new ProbeSettings();
        var node = Map(problems, map, key);
        if (node is null)
        {
            return defaults;
        }

        Unknown(problems, node, key + ".", ProbeKeys, key);
        string prefix = key + ".";
        return new ProbeSettings
        {
            InitialDelay = Int(problems, node, prefix, "initial_delay") ?? defaults.InitialDelay,
            Period = Int(problems, node, prefix, "period") ?? defaults.Period,
            Timeout = Int(problems, node, prefix, "timeout") ?? defaults.Timeout,
            SuccessThreshold = Int(problems, node, prefix, "success_threshold") ?? defaults.SuccessThreshold,
            FailureThreshold = Int(problems, node, prefix, "failure_threshold") ?? defaults.FailureThreshold,
        };
    }

    private static string? Model(List<string> problems, YamlMappingNode root)
    {
        var node = Get(root, "model");
        if (node is null || IsNull(node))
        {
            return null;
        }

        string? path = node switch
        {
            YamlScalarNode scalar => scalar.Value,
            YamlMappingNode mapping when Get(mapping, "path") is YamlScalarNode p => p.Value,
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add("model: must be a package folder path, or a mapping with 'path'");
            return null;
        }

        if (path.StartsWith("azureml:", StringComparison.Ordinal))
        {
            problems.Add("model: registered Azure ML models (azureml:…) are not available here; give the model package folder's path");
            return null;
        }

        return path;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "?",
    };

    private static string Cut(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
