using System.Diagnostics;

namespace MedServe.Dicom.Worker;

/// <summary>One running decoder worker. Unusable after a timeout, crash or protocol error.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    public bool IsHealthy { get; private set; } = true;

    public static WorkerProcess Start(string dotnetHost, string workerPath)
    {
        var startInfo = new ProcessStartInfo(dotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        startInfo.ArgumentList.Add("exec");
        startInfo.ArgumentList.Add(workerPath);
        startInfo.Environment["DOTNET_gcServer"] = "0";
        startInfo.Environment["DOTNET_TieredCompilation"] = "1";

        var process = new Process { StartInfo = startInfo };
        process.Start();

        // GDCM's codecs write diagnostics about the file to stderr; they are drained and dropped
        // (DICOM content never reaches the logs).
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        return new WorkerProcess(process);
    }

    /// <summary>Sends a request and reads the answer; the caller bounds the time.</summary>
    public async Task<WorkerResponse> ExchangeAsync(WorkerRequest request, long maxSamples, CancellationToken cancellationToken)
    {
        try
        {
            await WorkerProtocol.WriteRequestAsync(_process.StandardInput.BaseStream, request, cancellationToken).ConfigureAwait(false);
            return await WorkerProtocol.ReadResponseAsync(_process.StandardOutput.BaseStream, maxSamples, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            IsHealthy = false;
            throw;
        }
    }

    /// <summary>Kills the worker (after a timeout or a crash); the pool starts a fresh one.</summary>
    public void Kill()
    {
        IsHealthy = false;
        int processId = -1;
        try
        {
            processId = _process.Id;
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(2));
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        DeleteTemporaryFiles(processId);
    }

    /// <summary>A killed worker leaves its temporary copy of the DICOM file behind; remove it.</summary>
    internal static void DeleteTemporaryFiles(int processId)
    {
        if (processId <= 0)
        {
            return;
        }

        try
        {
            foreach (string file in Directory.EnumerateFiles(Path.GetTempPath(), Gdcm.GdcmDicomReader.TemporaryFilePrefix(processId) + "*"))
            {
                File.Delete(file);
            }
        }
        catch (IOException)
        {
            // Best effort; the file is removed when the next worker with this id is killed.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    public void Dispose()
    {
        if (IsHealthy)
        {
            try
            {
                // Closing stdin ends the worker's loop.
                _process.StandardInput.Close();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
                {
                    Kill();
                }
            }
            catch (IOException)
            {
                Kill();
            }
        }
        else
        {
            Kill();
        }

        _process.Dispose();
    }
}
