using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using MedServe.Contracts;

namespace MedServe.Cli.Bench;

/// <summary>
/// The <c>http://</c> load target: a minimal HTTP/1.1 client over keep-alive sockets, one per request in
/// flight, that sends the same pre-built request bytes every time and reads each answer to its end. It
/// exists because the harness should measure the server: <see cref="HttpClient"/> cost the load
/// generator about half as much CPU per small request as the server itself, on the same cores
/// (docs/benchmarks.md), where this client costs a few microseconds.
/// <code>
/// request bytes (built once) ─► socket ─► status line + headers ─► body by Content-Length or chunked ─► status
/// </code>
/// A connection whose answer says <c>Connection: close</c>, or that fails, is dropped and a new one is
/// opened by the next request. HTTPS goes through <see cref="HttpBenchTarget"/>.
/// </summary>
internal sealed class RawHttpBenchTarget : IBenchTarget
{
    private const int MaxHeaderBytes = 64 * 1024;

    private readonly Uri _url;
    private readonly byte[] _request;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ConcurrentBag<Connection> _idle = [];
    private bool _disposed;

    public RawHttpBenchTarget(Uri url, byte[] body, string? key, string? deployment, TimeSpan timeout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(body);
        _url = url;
        _timeout = timeout;
        _time = time;
        _request = BuildRequest(url, body, key, deployment);
    }

    public string Description => _url.ToString();

    /// <summary>The request bytes: request line, headers and body, exactly as sent.</summary>
    internal static byte[] BuildRequest(Uri url, byte[] body, string? key, string? deployment)
    {
        var head = new StringBuilder();
        head.Append("POST ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(url.Authority).Append("\r\n");
        head.Append("Content-Type: application/json\r\n");
        head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        if (!string.IsNullOrEmpty(key))
        {
            head.Append("Authorization: Bearer ").Append(key).Append("\r\n");
        }

        if (!string.IsNullOrEmpty(deployment))
        {
            head.Append(WireHeaders.ModelDeployment).Append(": ").Append(deployment).Append("\r\n");
        }

        head.Append("\r\n");
        byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
        return [.. headBytes, .. body];
    }

    public async Task<int> SendAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Connection? connection = null;
        try
        {
            if (!_idle.TryTake(out connection))
            {
                connection = await Connection.OpenAsync(_url, linked.Token).ConfigureAwait(false);
            }

            await connection.Stream.WriteAsync(_request, linked.Token).ConfigureAwait(false);
            var (status, keepAlive) = await connection.Reader.ReadResponseAsync(linked.Token).ConfigureAwait(false);
            if (keepAlive && !_disposed)
            {
                _idle.Add(connection);
            }
            else
            {
                connection.Dispose();
            }

            connection = null;
            return status;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Outcome.Cancelled;
        }
        catch (OperationCanceledException)
        {
            return Outcome.Timeout;
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or ObjectDisposedException)
        {
            return Outcome.TransportError;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private sealed class Connection : IDisposable
    {
        private readonly Socket _socket;

        private Connection(Socket socket)
        {
            _socket = socket;
            Stream = new NetworkStream(socket, ownsSocket: true);
            Reader = new HttpResponseReader(Stream, MaxHeaderBytes);
        }

        public NetworkStream Stream { get; }

        public HttpResponseReader Reader { get; }

        public static async Task<Connection> OpenAsync(Uri url, CancellationToken cancellationToken)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(url.Host, url.Port, cancellationToken).ConfigureAwait(false);
                return new Connection(socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Stream.Dispose();
            _socket.Dispose();
        }
    }
}
