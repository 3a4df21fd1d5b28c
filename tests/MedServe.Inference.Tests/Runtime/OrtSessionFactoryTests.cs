using MedServe.Inference.Runtime;
using MedServe.Onnx.Synthetic;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Inference.Tests.Runtime;

/// <summary>Session settings become ONNX Runtime options in one place; a provider this build lacks is refused with what to do.</summary>
public sealed class OrtSessionFactoryTests : IDisposable
{
    private static readonly string[] CpuOnly = ["CPUExecutionProvider"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-ort-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static bool BuildHasCuda() => OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider", StringComparer.Ordinal);

    private void AssertLoadsAndRuns(OrtSessionFactory factory)
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "text.onnx");
        File.WriteAllBytes(path, SyntheticMedImageInsight.TextEncoderBytes(8, 1000));
        using var session = factory.Create(path);
        long[] ids = new long[77];
        ids[0] = 500;
        long[] mask = new long[77];
        mask[0] = 1;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, 77]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, 77]);
        using var eosValue = OrtValue.CreateTensorValueFromMemory(new long[] { 0 }, [1]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "eos_index"], [idsValue, maskValue, eosValue], ["text_embeds"]);
        float[] expected = SyntheticMedImageInsight.ExpectedTextEmbedding(ids, mask, 0, 8, 1000);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void CreateOptions_DefaultSettings_AreTheSettingsMedServeHasAlwaysUsed()
    {
        using var options = new OrtSessionFactory().CreateOptions();
        Assert.Equal(GraphOptimizationLevel.ORT_ENABLE_ALL, options.GraphOptimizationLevel);
        Assert.Equal(ExecutionMode.ORT_SEQUENTIAL, options.ExecutionMode);
        Assert.True(options.EnableCpuMemArena);
        Assert.True(options.EnableMemoryPattern);
        Assert.Equal(0, options.IntraOpNumThreads);
        Assert.Equal(0, options.InterOpNumThreads);
        Assert.Equal(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, options.LogSeverityLevel);
    }

    [Fact]
    public void CreateOptions_EverySetting_IsMappedOntoSessionOptions()
    {
        var settings = new SessionSettings
        {
            IntraOpThreads = 3,
            InterOpThreads = 2,
            ExecutionMode = ExecutionMode.ORT_PARALLEL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
        };
        using var options = new OrtSessionFactory(settings).CreateOptions();
        Assert.Equal(3, options.IntraOpNumThreads);
        Assert.Equal(2, options.InterOpNumThreads);
        Assert.Equal(ExecutionMode.ORT_PARALLEL, options.ExecutionMode);
        Assert.Equal(GraphOptimizationLevel.ORT_ENABLE_BASIC, options.GraphOptimizationLevel);
        Assert.False(options.EnableCpuMemArena);
        Assert.False(options.EnableMemoryPattern);
    }

    [Theory]
    [InlineData(false, "0")]
    [InlineData(true, "1")]
    public void ConfigEntries_AllowSpinning_SetsBothThreadPools(bool allow, string expected)
    {
        var entries = OrtSessionFactory.ConfigEntries(new SessionSettings { AllowSpinning = allow });
        Assert.Equal(
            [new("session.intra_op.allow_spinning", expected), new("session.inter_op.allow_spinning", expected)],
            entries);
    }

    [Fact]
    public void Create_WithAndWithoutSpinning_LoadsAndRunsAGraph()
    {
        // ONNX Runtime refuses an unknown or malformed config value only when the session is made.
        foreach (bool allow in new[] { false, true })
        {
            var factory = new OrtSessionFactory(new SessionSettings { AllowSpinning = allow });
            Assert.False(SessionSettings.Default.AllowSpinning);
            AssertLoadsAndRuns(factory);
        }
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.ORT_DISABLE_ALL)]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_EXTENDED)]
    public void Create_NonDefaultSettings_LoadsAndRunsAGraph(GraphOptimizationLevel level)
    {
        var factory = new OrtSessionFactory(new SessionSettings
        {
            GraphOptimizationLevel = level,
            ExecutionMode = ExecutionMode.ORT_PARALLEL,
            InterOpThreads = 1,
            IntraOpThreads = 1,
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
        });
        AssertLoadsAndRuns(factory);
    }

    [Fact]
    public void EnsureProviderAvailable_CudaNotInTheBuild_NamesTheProviderTheBuildPropertyAndWhatToInstall()
    {
        var factory = new OrtSessionFactory(new SessionSettings { ExecutionProvider = ExecutionProviderKind.Cuda }, () => CpuOnly);
        var ex = Assert.Throws<ExecutionProviderUnavailableException>(factory.EnsureProviderAvailable);
        Assert.Equal(ExecutionProviderKind.Cuda, ex.Provider);
        Assert.Equal(
            "execution_provider 'cuda' needs ONNX Runtime's CUDAExecutionProvider, which this build does not have (it has: CPUExecutionProvider). "
            + "Build MedServe with -p:MedServeOrtPackage=gpu from a NuGet feed that serves Microsoft.ML.OnnxRuntime.Gpu, "
            + "install the NVIDIA driver, CUDA 12 and cuDNN 9, or set execution_provider: cpu",
            ex.Message);
        Assert.Throws<ExecutionProviderUnavailableException>(() => factory.Create(Path.Combine(_dir, "never-read.onnx")));
    }

    [Fact]
    public void EnsureProviderAvailable_CpuWithoutCudaInTheBuild_Passes()
    {
        var factory = new OrtSessionFactory(new SessionSettings(), () => throw new InvalidOperationException("the CPU provider needs no look-up"));
        factory.EnsureProviderAvailable();
        Assert.Equal(ExecutionProviderKind.Cpu, factory.Settings.ExecutionProvider);
    }

    [Fact]
    public void EnsureProviderAvailable_CudaOnThisCpuBuild_IsRefused()
    {
        Assert.SkipWhen(BuildHasCuda(), "this build of ONNX Runtime has the CUDA provider");
        var factory = new OrtSessionFactory(new SessionSettings { ExecutionProvider = ExecutionProviderKind.Cuda, DeviceId = 1 });
        var ex = Assert.Throws<ExecutionProviderUnavailableException>(factory.EnsureProviderAvailable);
        Assert.Contains("(it has: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateOptions_CudaClaimedButTheNativeLibraryLacksIt_IsRefusedAsNotInThisBuild()
    {
        Assert.SkipWhen(BuildHasCuda(), "this build of ONNX Runtime has the CUDA provider, so appending it may succeed");
        // Catching the append failure, not only the provider list, keeps a mismatched native library from crashing the load.
        string[] claimed = ["CUDAExecutionProvider", "CPUExecutionProvider"];
        var factory = new OrtSessionFactory(new SessionSettings { ExecutionProvider = ExecutionProviderKind.Cuda, DeviceId = 2 }, () => claimed);
        var ex = Assert.Throws<ExecutionProviderUnavailableException>(() => factory.CreateOptions().Dispose());
        Assert.StartsWith("execution_provider 'cuda' needs ONNX Runtime's CUDAExecutionProvider", ex.Message, StringComparison.Ordinal);
        Assert.IsType<EntryPointNotFoundException>(ex.InnerException);
    }

    [Fact]
    public void CreateOptions_GpuBuildWhereCudaCannotStart_SaysWhatToInstall()
    {
        Assert.SkipUnless(BuildHasCuda(), "needs the GPU build of ONNX Runtime (-p:MedServeOrtPackage=gpu)");
        var factory = new OrtSessionFactory(new SessionSettings { ExecutionProvider = ExecutionProviderKind.Cuda });
        SessionOptions options;
        try
        {
            options = factory.CreateOptions();
        }
        catch (ExecutionProviderUnavailableException ex)
        {
            Assert.StartsWith("execution_provider 'cuda' (device_id 0) could not start: ", ex.Message, StringComparison.Ordinal);
            Assert.EndsWith(". Install the NVIDIA driver, CUDA 12 and cuDNN 9 where ONNX Runtime can find them, or set execution_provider: cpu", ex.Message, StringComparison.Ordinal);
            Assert.IsType<OnnxRuntimeException>(ex.InnerException);
            return;
        }

        options.Dispose();
        Assert.Skip("CUDA starts on this machine");
    }

    [Fact]
    public void Constructor_NegativeThreadCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrtSessionFactory(new SessionSettings { InterOpThreads = -1 }));
    }
}
