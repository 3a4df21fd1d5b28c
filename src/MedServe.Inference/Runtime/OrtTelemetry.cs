using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Inference.Runtime;

/// <summary>
/// Keeps ONNX Runtime from writing telemetry (and a device id under <c>~/.cache</c>). ORT reads
/// <c>ORT_DISABLE_TELEMETRY</c> from the native environment before its first call, which .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach, so libc's
/// <c>setenv</c> is called too. The wrapper scripts also export it.
/// </summary>
public static partial class OrtTelemetry
{
    private static int _done;

    /// <summary>Disables ONNX Runtime telemetry; call before the first ORT use. Idempotent.</summary>
    public static void Disable()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1)
        {
            return;
        }

        Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = SetEnv("ORT_DISABLE_TELEMETRY", "1", 1);
        }

        OrtEnv.Instance().DisableTelemetryEvents();
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
