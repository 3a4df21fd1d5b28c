namespace MedServe.Inference.Runtime;

/// <summary>
/// The execution provider a deployment asked for is not in this build of ONNX Runtime, or could not
/// start on this machine. The message names the provider and what to build or install.
/// </summary>
public sealed class ExecutionProviderUnavailableException : Exception
{
    /// <summary>Creates the exception for a provider with a message saying what to do.</summary>
    public ExecutionProviderUnavailableException(ExecutionProviderKind provider, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Provider = provider;
    }

    /// <summary>The provider that is unavailable.</summary>
    public ExecutionProviderKind Provider { get; }
}
