using System.Runtime.InteropServices;

namespace MedServe.Dicom.Worker;

/// <summary>Finds the worker assembly and the <c>dotnet</c> host that runs it.</summary>
internal static class WorkerLocator
{
    public const string WorkerFileName = "MedServe.Dicom.Worker.dll";

    /// <summary>The worker dll: next to MedServe.Dicom.dll, else in the application base directory.</summary>
    public static string? FindWorker(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured) ? configured : null;
        }

        string? beside = Path.GetDirectoryName(typeof(WorkerLocator).Assembly.Location);
        foreach (string? directory in new[] { beside, AppContext.BaseDirectory })
        {
            if (!string.IsNullOrEmpty(directory))
            {
                string candidate = Path.Combine(directory, WorkerFileName);
                if (File.Exists(candidate)
                    && File.Exists(Path.ChangeExtension(candidate, ".runtimeconfig.json")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The dotnet host of the running runtime (the worker runs on the same runtime).</summary>
    public static string FindDotnetHost()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        string? processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var runtimeDirectory = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/'));
        string? root = runtimeDirectory.Parent?.Parent?.Parent?.FullName;
        if (root is not null)
        {
            string candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "dotnet";
    }
}
