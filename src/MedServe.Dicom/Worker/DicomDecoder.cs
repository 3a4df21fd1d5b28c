using System.Collections.Concurrent;
using System.Text.Json;
using MedServe.Dicom.Gdcm;

namespace MedServe.Dicom.Worker;

/// <summary>
/// Decodes DICOM in a pool of warm worker processes, so that a crash or hang in GDCM (native code
/// fed untrusted bytes) costs one worker, never the caller. Bad input never throws: it yields a
/// result whose <see cref="DicomDecodeResult.Error"/> is safe to return to the client.
/// <code>
/// DecodeAsync → slot (pool size) → idle worker or a new one → request over stdin
///             → response on stdout within the time limit → worker back to the pool
///             timeout / crash → worker killed, slot freed, error result
/// </code>
/// </summary>
public sealed class DicomDecoder : IDisposable
{
    /// <summary>The answer when a decode exceeds its time limit.</summary>
    public const string TimedOutMessage = "the DICOM decoder timed out";

    /// <summary>The answer when no worker process can be started.</summary>
    public const string StartFailedMessage = "the DICOM decoder could not start (see the server's installation)";

    /// <summary>The answer when the worker dies while decoding.</summary>
    public const string CrashedMessage = "the DICOM decoder crashed on this file";

    private readonly DicomDecoderOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<WorkerProcess> _idle = [];
    private readonly string? _workerPath;
    private readonly string _dotnetHost;
    private bool _disposed;

    /// <summary>Creates a decoder; workers start on first use.</summary>
    /// <param name="options">Pool size, time limit and worker location; null for the defaults.</param>
    public DicomDecoder(DicomDecoderOptions? options = null)
    {
        _options = options ?? new DicomDecoderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.PoolSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.DecodeTimeout, TimeSpan.Zero, nameof(options));
        _slots = new SemaphoreSlim(_options.PoolSize, _options.PoolSize);
        _workerPath = WorkerLocator.FindWorker(_options.WorkerPath);
        _dotnetHost = WorkerLocator.FindDotnetHost();
    }

    /// <summary>
    /// Null when this build can decode DICOM; else why not (GDCM missing, worker not deployed).
    /// </summary>
    public string? UnavailableReason => !GdcmRuntime.IsCompiledIn
        ? GdcmRuntime.MissingMessage
        : _workerPath is null ? $"the DICOM decoder worker ({WorkerLocator.WorkerFileName}) is not deployed next to MedServe.Dicom.dll" : null;

    /// <summary>Decodes one frame of a DICOM file.</summary>
    /// <param name="dicom">The file's bytes (Part 10 with preamble, or a raw data set).</param>
    /// <param name="frame">The 0-based frame index.</param>
    /// <param name="limits">Bounds checked against the header before decoding.</param>
    /// <param name="cancellationToken">Cancels the wait; a running decode's worker is killed.</param>
    /// <returns>The frame, or a client-safe refusal.</returns>
    public async Task<DicomDecodeResult> DecodeAsync(ReadOnlyMemory<byte> dicom, int frame, DicomDecodeLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (UnavailableReason is { } reason)
        {
            return DicomDecodeResult.Failure(reason);
        }

        if (dicom.IsEmpty)
        {
            return DicomDecodeResult.Failure("the DICOM file is empty");
        }

        var request = new WorkerRequest(WorkerOperation.DecodeFrame, frame, limits.MaxPixels, dicom);
        (WorkerResponse? response, string? error) = await ExchangeAsync(request, limits.MaxPixels, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return DicomDecodeResult.Failure(error!);
        }

        if (!response.Succeeded)
        {
            return DicomDecodeResult.Failure(response.Text);
        }

        DicomImage? image = JsonSerializer.Deserialize(response.Text, DicomWorkerJsonContext.Default.DicomImage);
        return image is null
            ? DicomDecodeResult.Failure(CrashedMessage)
            : DicomDecodeResult.Success(new DicomFrame(image, frame, response.Samples, response.SamplesPhotometric));
    }

    /// <summary>Reads the decoding-relevant header facts (no patient identifiers, no pixel data decoded).</summary>
    /// <param name="dicom">The file's bytes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The header, or a client-safe refusal.</returns>
    public async Task<DicomHeaderResult> ReadHeaderAsync(ReadOnlyMemory<byte> dicom, CancellationToken cancellationToken = default)
    {
        if (UnavailableReason is { } reason)
        {
            return DicomHeaderResult.Failure(reason);
        }

        if (dicom.IsEmpty)
        {
            return DicomHeaderResult.Failure("the DICOM file is empty");
        }

        var request = new WorkerRequest(WorkerOperation.ReadHeader, 0, 0, dicom);
        (WorkerResponse? response, string? error) = await ExchangeAsync(request, 0, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return DicomHeaderResult.Failure(error!);
        }

        if (!response.Succeeded)
        {
            return DicomHeaderResult.Failure(response.Text);
        }

        DicomHeader? header = JsonSerializer.Deserialize(response.Text, DicomWorkerJsonContext.Default.DicomHeader);
        return header is null ? DicomHeaderResult.Failure(CrashedMessage) : DicomHeaderResult.Success(header);
    }

    /// <summary>Stops the idle workers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_idle.TryTake(out WorkerProcess? worker))
        {
            worker.Dispose();
        }

        _slots.Dispose();
    }

    private async Task<(WorkerResponse? Response, string? Error)> ExchangeAsync(WorkerRequest request, long maxSamples, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        WorkerProcess? worker = null;
        try
        {
            if (!_idle.TryTake(out worker))
            {
                try
                {
                    worker = WorkerProcess.Start(_dotnetHost, _workerPath!);
                }
                catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
                {
                    return (null, StartFailedMessage);
                }
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.DecodeTimeout);
            Task<WorkerResponse> exchange = worker.ExchangeAsync(request, maxSamples, timeout.Token);
            try
            {
                // WaitAsync bounds the time even if a pipe read ignores cancellation.
                WorkerResponse response = await exchange.WaitAsync(timeout.Token).ConfigureAwait(false);
                return (response, null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                worker.Kill();
                Observe(exchange);
                return (null, TimedOutMessage);
            }
            catch (OperationCanceledException)
            {
                worker.Kill();
                Observe(exchange);
                throw;
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or ObjectDisposedException)
            {
                worker.Kill();
                return (null, CrashedMessage);
            }
        }
        finally
        {
            if (worker is not null)
            {
                if (worker.IsHealthy && !_disposed)
                {
                    _idle.Add(worker);
                }
                else
                {
                    worker.Dispose();
                }
            }

            if (!_disposed)
            {
                _slots.Release();
            }
        }
    }

    private static void Observe(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
