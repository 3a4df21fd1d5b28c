using System.Text;
using MedServe.Cli.Bench;

namespace MedServe.Cli.Tests.Bench;

/// <summary>The raw load client's response framing, fed a byte at a time and in one piece, and its request bytes.</summary>
public sealed class HttpResponseReaderTests
{
    /// <summary>A stream that gives at most <c>piece</c> bytes per read, so every boundary falls inside a read somewhere.</summary>
    private sealed class Trickle(byte[] data, int piece) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(piece, buffer.Length)], cancellationToken);
    }

    private static HttpResponseReader Reader(string wire, int piece, int bufferSize = 256) =>
        new(new Trickle(Encoding.ASCII.GetBytes(wire), piece), bufferSize);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<int> Pieces() => [1, 3, 7, 1000];

    [Theory]
    [MemberData(nameof(Pieces))]
    public async Task Read_ContentLengthThenChunkedOnOneConnection_ReadsBothWholly(int piece)
    {
        string body = new('x', 300);
        var reader = Reader(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: {body.Length}\r\n\r\n{body}" +
            "HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\n\r\n" +
            "HTTP/1.1 204 No Content\r\n\r\n",
            piece, bufferSize: 128);

        Assert.Equal((200, true), await reader.ReadResponseAsync(Token));
        Assert.Equal((429, true), await reader.ReadResponseAsync(Token));
        Assert.Equal((204, true), await reader.ReadResponseAsync(Token));
        await Assert.ThrowsAsync<IOException>(() => reader.ReadResponseAsync(Token));
    }

    [Theory]
    [MemberData(nameof(Pieces))]
    public async Task Read_InterimAnswerThenTheRealOne_GivesTheRealStatus(int piece)
    {
        var reader = Reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 Payload Too Large\r\nContent-Length: 2\r\n\r\n{}", piece);
        Assert.Equal((413, true), await reader.ReadResponseAsync(Token));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", 200, false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", 200, false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}", 200, true)]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\n\r\nthe body runs to the end", 500, false)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\nConnection: Keep-Alive, Upgrade\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 200, true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n", 200, false)]
    public async Task Read_ConnectionRules_SayWhetherTheConnectionMayBeReused(string wire, int status, bool keepAlive)
    {
        Assert.Equal((status, keepAlive), await Reader(wire, 2).ReadResponseAsync(Token));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", typeof(IOException))]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Len", typeof(IOException))]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", typeof(IOException))]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", typeof(InvalidDataException))]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n", typeof(InvalidDataException))]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n", typeof(InvalidDataException))]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", typeof(InvalidDataException))]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", typeof(InvalidDataException))]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n", typeof(InvalidDataException))]
    public async Task Read_BrokenAnswers_AreTransportErrors(string wire, Type expected)
    {
        var ex = await Record.ExceptionAsync(() => Reader(wire, 4).ReadResponseAsync(Token));
        Assert.IsType(expected, ex);
    }

    [Fact]
    public async Task Read_HeadersLongerThanTheBuffer_Refused()
    {
        string wire = "HTTP/1.1 200 OK\r\nX-Long: " + new string('a', 500) + "\r\n\r\n";
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => Reader(wire, 64, bufferSize: 128).ReadResponseAsync(Token));
        Assert.Equal("a response header or chunk line is longer than 128 bytes", ex.Message);
    }

    [Fact]
    public void BuildRequest_IsTheExactRequestSentEveryTime()
    {
        byte[] request = RawHttpBenchTarget.BuildRequest(new Uri("http://127.0.0.1:5123/endpoints/a/score?x=1"), "{}"u8.ToArray(), "k123", "blue");
        Assert.Equal(
            "POST /endpoints/a/score?x=1 HTTP/1.1\r\nHost: 127.0.0.1:5123\r\nContent-Type: application/json\r\nContent-Length: 2\r\n" +
            "Authorization: Bearer k123\r\nazureml-model-deployment: blue\r\n\r\n{}",
            Encoding.ASCII.GetString(request));
        Assert.Equal(
            "POST /score HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n",
            Encoding.ASCII.GetString(RawHttpBenchTarget.BuildRequest(new Uri("http://localhost:80/score"), [], null, null)));
    }
}
