using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MedServe.Dicom.Worker;

/// <summary>
/// The length-prefixed binary protocol between <see cref="DicomDecoder"/> and the worker process
/// (all integers little endian):
/// <code>
/// request:  magic "MSDQ" | op int32 | frame int32 | max pixels int64 | length int32 | DICOM bytes
/// response: magic "MSDR" | status int32 (0 ok, 1 refused) | text length int32 | UTF-8 text
///           | photometric length int32 | UTF-8 photometric | sample count int32 | samples int32[]
/// </code>
/// The text is the header JSON on success and the client-safe refusal otherwise.
/// </summary>
internal static class WorkerProtocol
{
    public const int RequestMagic = 0x5144534D; // "MSDQ"
    public const int ResponseMagic = 0x5244534D; // "MSDR"
    private const int MaxTextLength = 16 * 1024 * 1024;

    public static async Task WriteRequestAsync(Stream stream, WorkerRequest request, CancellationToken cancellationToken)
    {
        var header = new byte[24];
        BinaryPrimitives.WriteInt32LittleEndian(header, RequestMagic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), (int)request.Operation);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), request.Frame);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), request.MaxPixels);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(20), request.Dicom.Length);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(request.Dicom, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a request; null at the end of the input (the parent closed the pipe).</summary>
    public static WorkerRequest? ReadRequest(Stream stream)
    {
        var header = new byte[24];
        int first = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (first == 0)
        {
            return null;
        }

        if (first < header.Length || BinaryPrimitives.ReadInt32LittleEndian(header) != RequestMagic)
        {
            throw new InvalidDataException("malformed request");
        }

        var operation = (WorkerOperation)BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        int frame = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        long maxPixels = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(12));
        int length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(20));
        if (length < 0)
        {
            throw new InvalidDataException("malformed request");
        }

        var dicom = new byte[length];
        stream.ReadExactly(dicom);
        return new WorkerRequest(operation, frame, maxPixels, dicom);
    }

    public static void WriteResponse(Stream stream, WorkerResponse response)
    {
        byte[] text = Encoding.UTF8.GetBytes(response.Text);
        byte[] photometric = Encoding.UTF8.GetBytes(response.SamplesPhotometric);
        var header = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(header, ResponseMagic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), response.Succeeded ? 0 : 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), text.Length);
        stream.Write(header);
        stream.Write(text);
        WriteInt32(stream, photometric.Length);
        stream.Write(photometric);
        WriteInt32(stream, response.Samples.Length);
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(response.Samples.AsSpan()));
        }
        else
        {
            foreach (int sample in response.Samples)
            {
                WriteInt32(stream, sample);
            }
        }

        stream.Flush();
    }

    /// <summary>Reads a response, refusing sizes the request could not have produced.</summary>
    public static async Task<WorkerResponse> ReadResponseAsync(Stream stream, long maxSamples, CancellationToken cancellationToken)
    {
        var header = new byte[12];
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        if (BinaryPrimitives.ReadInt32LittleEndian(header) != ResponseMagic)
        {
            throw new InvalidDataException("the DICOM decoder worker answered out of protocol");
        }

        bool succeeded = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4)) == 0;
        string text = await ReadStringAsync(stream, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)), cancellationToken).ConfigureAwait(false);
        string photometric = await ReadStringAsync(stream, await ReadInt32Async(stream, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        int count = await ReadInt32Async(stream, cancellationToken).ConfigureAwait(false);
        if (count < 0 || count > maxSamples)
        {
            throw new InvalidDataException("the DICOM decoder worker answered out of protocol");
        }

        var samples = new int[count];
        byte[] raw = new byte[(long)count * 4];
        await stream.ReadExactlyAsync(raw, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < count; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(i * 4));
        }

        return new WorkerResponse(succeeded, text, photometric, samples);
    }

    private static async Task<string> ReadStringAsync(Stream stream, int length, CancellationToken cancellationToken)
    {
        if (length < 0 || length > MaxTextLength)
        {
            throw new InvalidDataException("the DICOM decoder worker answered out of protocol");
        }

        var bytes = new byte[length];
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(bytes);
    }

    private static async Task<int> ReadInt32Async(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new byte[4];
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    private static void WriteInt32(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
