using MedServe.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Server.Configuration;

/// <summary>
/// The ONNX Runtime keys of a deployment: their accepted values, their checks, and the mapping from a
/// <see cref="DeploymentSpec"/> onto the <see cref="SessionSettings"/> its sessions are built with.
/// </summary>
public static class DeploymentSessionSettings
{
    /// <summary>The CPU execution provider (the default).</summary>
    public const string Cpu = "cpu";

    /// <summary>The CUDA execution provider.</summary>
    public const string Cuda = "cuda";

    /// <summary>Sequential execution (the default).</summary>
    public const string Sequential = "sequential";

    /// <summary>Parallel execution of independent operators.</summary>
    public const string Parallel = "parallel";

    /// <summary>Every graph optimisation (the default).</summary>
    public const string All = "all";

    /// <summary>The most threads of either kind per session.</summary>
    public const int MaxThreads = 256;

    /// <summary>The highest accepted GPU ordinal.</summary>
    public const int MaxDeviceId = 63;

    private static readonly Dictionary<string, ExecutionProviderKind> Providers = new(StringComparer.Ordinal)
    {
        [Cpu] = ExecutionProviderKind.Cpu,
        [Cuda] = ExecutionProviderKind.Cuda,
    };

    private static readonly Dictionary<string, ExecutionMode> Modes = new(StringComparer.Ordinal)
    {
        [Sequential] = ExecutionMode.ORT_SEQUENTIAL,
        [Parallel] = ExecutionMode.ORT_PARALLEL,
    };

    private static readonly Dictionary<string, GraphOptimizationLevel> Levels = new(StringComparer.Ordinal)
    {
        ["disable"] = GraphOptimizationLevel.ORT_DISABLE_ALL,
        ["basic"] = GraphOptimizationLevel.ORT_ENABLE_BASIC,
        ["extended"] = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        [All] = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>The accepted <c>execution_provider</c> values.</summary>
    public static IReadOnlyList<string> ProviderNames { get; } = [Cpu, Cuda];

    /// <summary>The accepted <c>execution_mode</c> values.</summary>
    public static IReadOnlyList<string> ModeNames { get; } = [Sequential, Parallel];

    /// <summary>The accepted <c>graph_optimization_level</c> values.</summary>
    public static IReadOnlyList<string> LevelNames { get; } = ["disable", "basic", "extended", All];

    /// <summary>The session settings of a valid deployment spec (see <see cref="Validate"/>).</summary>
    public static SessionSettings From(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new SessionSettings
        {
            ExecutionProvider = Providers[spec.ExecutionProvider],
            DeviceId = spec.DeviceId,
            IntraOpThreads = spec.IntraOpThreads,
            InterOpThreads = spec.InterOpThreads,
            ExecutionMode = Modes[spec.ExecutionMode],
            GraphOptimizationLevel = Levels[spec.GraphOptimizationLevel],
            EnableCpuMemArena = spec.EnableCpuMemArena,
            EnableMemoryPattern = spec.EnableMemoryPattern,
            AllowSpinning = spec.AllowSpinning,
        };
    }

    /// <summary>Adds a <c>key: problem</c> line for each ONNX Runtime key of the spec that is wrong.</summary>
    public static void Validate(DeploymentSpec spec, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(problems);
        OneOf(problems, "execution_provider", spec.ExecutionProvider, ProviderNames);
        OneOf(problems, "execution_mode", spec.ExecutionMode, ModeNames);
        OneOf(problems, "graph_optimization_level", spec.GraphOptimizationLevel, LevelNames);
        Range(problems, "intra_op_threads", spec.IntraOpThreads, 0, MaxThreads);
        Range(problems, "inter_op_threads", spec.InterOpThreads, 0, MaxThreads);
        Range(problems, "device_id", spec.DeviceId, 0, MaxDeviceId);
        if (spec.InterOpThreads > 0 && string.Equals(spec.ExecutionMode, Sequential, StringComparison.Ordinal))
        {
            // ONNX Runtime silently ignores inter-op threads when sequential; say so rather than pretend.
            problems.Add("inter_op_threads: applies only with execution_mode: parallel (sequential runs one operator at a time)");
        }

        if (spec.DeviceId > 0 && string.Equals(spec.ExecutionProvider, Cpu, StringComparison.Ordinal))
        {
            problems.Add("device_id: applies only with execution_provider: cuda");
        }
    }

    private static void OneOf(List<string> problems, string key, string? value, IReadOnlyList<string> allowed)
    {
        if (value is null || !allowed.Contains(value, StringComparer.Ordinal))
        {
            string shown = value is null ? "(null)" : value.Length <= 64 ? value : value[..64] + "…";
            problems.Add($"{key}: '{shown}' is not one of {string.Join(", ", allowed)}");
        }
    }

    private static void Range(List<string> problems, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{key}: {value} is not from {min} to {max}"));
        }
    }
}
