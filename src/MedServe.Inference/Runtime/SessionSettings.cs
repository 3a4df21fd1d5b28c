using Microsoft.ML.OnnxRuntime;

namespace MedServe.Inference.Runtime;

/// <summary>
/// How ONNX Runtime sessions are built: threads, execution mode, graph optimisation, memory and the
/// execution provider. <see cref="OrtSessionFactory.CreateOptions"/> is the one place these become
/// <see cref="SessionOptions"/>; the defaults are what MedServe has always used.
/// </summary>
public sealed record SessionSettings
{
    /// <summary>The defaults: CPU, sequential, every graph optimisation, arena and memory pattern on, ORT's thread counts.</summary>
    public static SessionSettings Default { get; } = new();

    /// <summary>Threads one operator may use; 0 lets ONNX Runtime choose (one per physical core). <value>The default is 0.</value></summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads that run independent operators at once (parallel mode only); 0 lets ONNX Runtime choose. <value>The default is 0.</value></summary>
    public int InterOpThreads { get; init; }

    /// <summary>Whether independent operators may run at once. <value>The default is <see cref="ExecutionMode.ORT_SEQUENTIAL"/>.</value></summary>
    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.ORT_SEQUENTIAL;

    /// <summary>The graph rewrites ONNX Runtime applies when loading. <value>The default is <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>.</value></summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Whether CPU tensors come from ONNX Runtime's growing arena (faster, keeps its peak). <value>The default is true.</value></summary>
    public bool EnableCpuMemArena { get; init; } = true;

    /// <summary>Whether ONNX Runtime plans allocations from the first run's shapes (helps fixed shapes). <value>The default is true.</value></summary>
    public bool EnableMemoryPattern { get; init; } = true;

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin while waiting for work instead of sleeping. Spinning
    /// saves microseconds for one request at a time on an idle machine; in a server it burns the cores
    /// that HTTP, decoding and the other requests need (measured in docs/benchmarks.md).
    /// <value>The default is false.</value>
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>The execution provider. <value>The default is <see cref="ExecutionProviderKind.Cpu"/>.</value></summary>
    public ExecutionProviderKind ExecutionProvider { get; init; } = ExecutionProviderKind.Cpu;

    /// <summary>The GPU ordinal for <see cref="ExecutionProviderKind.Cuda"/>. <value>The default is 0.</value></summary>
    public int DeviceId { get; init; }
}
