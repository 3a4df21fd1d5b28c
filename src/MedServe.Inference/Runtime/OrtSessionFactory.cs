using Microsoft.ML.OnnxRuntime;

namespace MedServe.Inference.Runtime;

/// <summary>Creates ONNX Runtime sessions with MedServe's settings (CPU execution provider here).</summary>
public sealed class OrtSessionFactory
{
    /// <summary>Creates a factory; <paramref name="intraOpThreads"/> 0 lets ONNX Runtime choose.</summary>
    public OrtSessionFactory(int intraOpThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        IntraOpThreads = intraOpThreads;
    }

    /// <summary>Threads per session for one operator; 0 lets ONNX Runtime choose. <value>The default is 0.</value></summary>
    public int IntraOpThreads { get; }

    /// <summary>Loads a graph file into a session.</summary>
    public InferenceSession Create(string path)
    {
        OrtTelemetry.Disable();
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = IntraOpThreads;
        }

        return new InferenceSession(path, options);
    }
}
