using Microsoft.ML.OnnxRuntime;

namespace MedServe.Inference.Runtime;

/// <summary>
/// Creates ONNX Runtime sessions with a deployment's <see cref="SessionSettings"/>. Every session in
/// MedServe is made here, so telemetry is off and the settings are applied the same way everywhere.
/// </summary>
public sealed class OrtSessionFactory
{
    /// <summary>The build property that switches the ONNX Runtime package to the CUDA build.</summary>
    public const string GpuBuildProperty = "-p:MedServeOrtPackage=gpu";

    internal const string CudaProviderName = "CUDAExecutionProvider";

    private readonly Func<IReadOnlyCollection<string>> _availableProviders;

    /// <summary>Creates a factory; null settings mean <see cref="SessionSettings.Default"/>.</summary>
    public OrtSessionFactory(SessionSettings? settings = null)
        : this(settings, () => OrtEnv.Instance().GetAvailableProviders())
    {
    }

    /// <summary>Creates a factory that asks <paramref name="availableProviders"/> which providers this build has (tests fake it).</summary>
    internal OrtSessionFactory(SessionSettings? settings, Func<IReadOnlyCollection<string>> availableProviders)
    {
        settings ??= SessionSettings.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(settings.IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.InterOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.DeviceId);
        Settings = settings;
        _availableProviders = availableProviders;
    }

    /// <summary>The settings every session of this factory gets.</summary>
    public SessionSettings Settings { get; }

    /// <summary>
    /// Throws <see cref="ExecutionProviderUnavailableException"/> when the settings ask for a provider
    /// this build of ONNX Runtime does not have, so a deployment fails before any graph is loaded.
    /// </summary>
    public void EnsureProviderAvailable()
    {
        if (Settings.ExecutionProvider == ExecutionProviderKind.Cpu)
        {
            return;
        }

        OrtTelemetry.Disable();
        var available = _availableProviders();
        if (!available.Contains(CudaProviderName, StringComparer.Ordinal))
        {
            throw NotInThisBuild(available, null);
        }
    }

    /// <summary>Loads a graph file into a session.</summary>
    public InferenceSession Create(string path)
    {
        OrtTelemetry.Disable();
        using var options = CreateOptions();
        return new InferenceSession(path, options);
    }

    /// <summary>
    /// Maps <see cref="Settings"/> onto ONNX Runtime's options: the only place session options are set.
    /// Thread counts of 0 are left to ONNX Runtime. The caller disposes the result.
    /// </summary>
    internal SessionOptions CreateOptions()
    {
        EnsureProviderAvailable();
        var settings = Settings;
        var options = new SessionOptions
        {
            GraphOptimizationLevel = settings.GraphOptimizationLevel,
            ExecutionMode = settings.ExecutionMode,
            EnableCpuMemArena = settings.EnableCpuMemArena,
            EnableMemoryPattern = settings.EnableMemoryPattern,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            if (settings.IntraOpThreads > 0)
            {
                options.IntraOpNumThreads = settings.IntraOpThreads;
            }

            if (settings.InterOpThreads > 0)
            {
                options.InterOpNumThreads = settings.InterOpThreads;
            }

            foreach (var (key, value) in ConfigEntries(settings))
            {
                options.AddSessionConfigEntry(key, value);
            }

            if (settings.ExecutionProvider == ExecutionProviderKind.Cuda)
            {
                AppendCuda(options, settings.DeviceId);
            }

            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>The session configuration entries (ONNX Runtime's string keys) that <paramref name="settings"/> set.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ConfigEntries(SessionSettings settings)
    {
        string spin = settings.AllowSpinning ? "1" : "0";
        return
        [
            new("session.intra_op.allow_spinning", spin),
            new("session.inter_op.allow_spinning", spin),
        ];
    }

    private void AppendCuda(SessionOptions options, int deviceId)
    {
        try
        {
            // Nodes CUDA cannot run fall back to the CPU provider, which ONNX Runtime always adds last.
            options.AppendExecutionProvider_CUDA(deviceId);
        }
        catch (EntryPointNotFoundException ex)
        {
            // The CPU native library has no CUDA entry point at all.
            throw NotInThisBuild(_availableProviders(), ex);
        }
        catch (OnnxRuntimeException ex)
        {
            string first = ex.Message.Split('\n')[0].TrimEnd('.', ' ');
            throw new ExecutionProviderUnavailableException(ExecutionProviderKind.Cuda,
                $"execution_provider 'cuda' (device_id {deviceId}) could not start: {first}. " +
                "Install the NVIDIA driver, CUDA 12 and cuDNN 9 where ONNX Runtime can find them, or set execution_provider: cpu", ex);
        }
    }

    private static ExecutionProviderUnavailableException NotInThisBuild(IReadOnlyCollection<string> available, Exception? cause) =>
        new(ExecutionProviderKind.Cuda,
            $"execution_provider 'cuda' needs ONNX Runtime's {CudaProviderName}, which this build does not have " +
            $"(it has: {string.Join(", ", available)}). Build MedServe with {GpuBuildProperty} from a NuGet feed that serves " +
            "Microsoft.ML.OnnxRuntime.Gpu, install the NVIDIA driver, CUDA 12 and cuDNN 9, or set execution_provider: cpu", cause);
}
