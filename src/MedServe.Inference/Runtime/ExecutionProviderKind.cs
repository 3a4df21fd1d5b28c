namespace MedServe.Inference.Runtime;

/// <summary>The ONNX Runtime execution provider a session runs on.</summary>
public enum ExecutionProviderKind
{
    /// <summary>ONNX Runtime's CPU provider, in every build.</summary>
    Cpu,

    /// <summary>NVIDIA CUDA; needs a build against the Microsoft.ML.OnnxRuntime.Gpu package and the CUDA libraries.</summary>
    Cuda,
}
