using System.Collections.Concurrent;

namespace MedServe.Server.Tests.Deployments;

/// <summary>Keeps the body and Authorization header of every request its clients send (for the log-leak test).</summary>
internal sealed class RecordingHandler
{
    public ConcurrentQueue<byte[]> Bodies { get; } = new();

    public ConcurrentQueue<string> Credentials { get; } = new();

    /// <summary>A client whose requests are kept, sending through <paramref name="inner"/>.</summary>
    public HttpClient Client(HttpMessageHandler inner, Uri baseAddress) => new(new Recorder(this) { InnerHandler = inner }) { BaseAddress = baseAddress };

    private sealed class Recorder(RecordingHandler owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                owner.Bodies.Enqueue(await request.Content.ReadAsByteArrayAsync(cancellationToken));
            }

            if (request.Headers.Authorization?.Parameter is string credential)
            {
                owner.Credentials.Enqueue(credential);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
