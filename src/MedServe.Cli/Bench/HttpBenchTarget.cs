using System.Net.Http.Headers;
using MedServe.Contracts;

namespace MedServe.Cli.Bench;

/// <summary>Posts the request body to a scoring URL over a pooled <see cref="SocketsHttpHandler"/>.</summary>
internal sealed class HttpBenchTarget : IBenchTarget
{
    private readonly HttpClient _client;
    private readonly Uri _url;
    private readonly byte[] _body;
    private readonly string? _key;
    private readonly string? _deployment;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public HttpBenchTarget(Uri url, byte[] body, string? key, string? deployment, int connections, TimeSpan timeout, TimeProvider time)
    {
        _url = url;
        _body = body;
        _key = key;
        _deployment = deployment;
        _timeout = timeout;
        _time = time;

        // One connection per outstanding request, kept alive for the whole run, so the figures measure the
        // server rather than connection set-up.
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, connections),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Description => _url.ToString();

    public async Task<int> SendAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(_body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (!string.IsNullOrEmpty(_key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        }

        if (!string.IsNullOrEmpty(_deployment))
        {
            request.Headers.Add(WireHeaders.ModelDeployment, _deployment);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);

            // The latency includes reading the whole body, as a client would.
            await response.Content.CopyToAsync(Stream.Null, linked.Token).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Outcome.Cancelled;
        }
        catch (OperationCanceledException)
        {
            return Outcome.Timeout;
        }
        catch (HttpRequestException)
        {
            return Outcome.TransportError;
        }
        catch (IOException)
        {
            return Outcome.TransportError;
        }
    }

    public void Dispose() => _client.Dispose();
}
