using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MedServe.Imaging;
using MedServe.Models;
using MedServe.Models.Buffers;
using MedServe.Models.Demo;
using MedServe.Server.Tests.Deployments;
using MedServe.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Tests;

/// <summary>
/// Request bodies and image cells are lent by a pool: every buffer goes back whatever the answer, and a
/// request never sees another's bytes. The server here has its own pool (lending from 1 KiB), shared
/// only with its deployment's warm-up.
/// </summary>
public sealed class BufferPoolingTests : IAsyncLifetime
{
    private const string Key = "pooling-key-0123456789abcdef";
    private const long MaxBodyBytes = 34 << 20;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "medserve-pooling-tests-" + Guid.NewGuid().ToString("N"));
    private readonly RequestBufferPool _pool = new(minimumPooledLength: 1024);
    private readonly CapturingLoggerProvider _log = new();
    private WebApplication? _app;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        string directory = DemoPackages.WriteMedImageInsight(Path.Combine(_root, DemoPackages.MedImageInsightName));
        var options = new ServerOptions { PrimaryKey = Key, SecondaryKey = Key + "-2", MaxRequestBodyBytes = MaxBodyBytes };
        var model = ModelLoader.Load(directory, new ModelLoadOptions { Buffers = _pool });
        _app = MedServeApplication.Build(options, new EndpointRegistry([new ServedEndpoint(model.Descriptor.Name, model.Descriptor.Name, model)]), b =>
        {
            b.WebHost.UseTestServer();
            b.Services.AddSingleton(_pool);
            b.Logging.ClearProviders();
            b.Logging.AddProvider(_log);
            b.Logging.SetMinimumLevel(LogLevel.Debug);
        });
        await _app.StartAsync();
        _client = _app.GetTestServer().CreateClient();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await TestApps.StopAsync(_app, _root);
    }

    /// <summary>An RGB PNG of random pixels: it does not compress, so its size is known (about 3 bytes a pixel).</summary>
    private static string NoiseBase64(int side, int seed)
    {
        byte[] samples = new byte[side * side * 3];
        new Random(seed).NextBytes(samples);
        return Convert.ToBase64String(PngEncoder.Encode(new PixelBuffer(side, side, PixelFormat.Rgb8, samples)));
    }

    private static string ImageRequest(string base64) =>
        "{\"input_data\": {\"columns\": [\"image\"], \"data\": [[\"" + base64 + "\"]]}}";

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpContent content)
    {
        using var response = await _client.PostAsync("/score", content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private Task<(HttpStatusCode Status, string Body)> PostAsync(string json) =>
        PostAsync(new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Every lease ends when its request does; the response can reach the client a moment before.</summary>
    private void AssertAllReturned() =>
        Assert.True(SpinWait.SpinUntil(() => _pool.LentCount == 0, TimeSpan.FromSeconds(10)), $"{_pool.LentCount} buffers still lent");

    [Fact]
    public async Task Score_Image_GivesBodyAndCellBack()
    {
        var (status, body) = await PostAsync(ImageRequest(NoiseBase64(100, 1)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("image_features", body, StringComparison.Ordinal);
        AssertAllReturned();
        // The body and the decoded cell, held at once, so two arrays (the deployment's warm-up may have left one more).
        Assert.InRange(_pool.FreeCount, 2, _pool.MaxRetained);
    }

    [Fact]
    public async Task Score_SmallAfterLarge_AnswersAsBeforeTheLargeOne()
    {
        string small = ImageRequest(NoiseBase64(40, 2));
        var before = await PostAsync(small);
        var large = await PostAsync(ImageRequest(NoiseBase64(500, 3)));
        var after = await PostAsync(small);
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.OK, large.Status);
        Assert.Equal(before, after);
        Assert.NotEqual(before.Body, large.Body);
        AssertAllReturned();
    }

    [Theory]
    [InlineData(false, "row 0, column 'image': not valid base64")]
    [InlineData(true, "row 0, column 'image': not a PNG, JPEG or DICOM image")]
    public async Task Score_BadImageCell_400AndEveryBufferBack(bool validBase64, string message)
    {
        // Both over the pool's 1 KiB: the body, and (valid base64) the decoded cell.
        string cell = validBase64 ? Convert.ToBase64String(Enumerable.Repeat((byte)7, 3000).ToArray()) : string.Concat(Enumerable.Repeat("ab!=", 500));
        var (status, body) = await PostAsync(ImageRequest(cell));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, body, StringComparison.Ordinal);
        AssertAllReturned();
        // The body, and the cell's buffer (invalid base64 is found while decoding into it); warm-up may add one.
        Assert.InRange(_pool.FreeCount, 2, _pool.MaxRetained);
    }

    [Fact]
    public async Task Score_ChunkedBodyOverTheLimit_413AndEveryBufferBack()
    {
        byte[] json = Encoding.UTF8.GetBytes(ImageRequest(new string('A', (int)MaxBodyBytes)));
        using var content = new ChunkedContent(json);
        var (status, _) = await PostAsync(content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertAllReturned();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(ImageRequest(Convert.ToBase64String(TestImages.GradientPng())))).Status);
    }

    [Fact]
    public async Task Score_ChunkedBodyWithinTheLimit_ReadWhole()
    {
        byte[] json = Encoding.UTF8.GetBytes(ImageRequest(NoiseBase64(300, 4)));
        using var content = new ChunkedContent(json);
        var chunked = await PostAsync(content);
        var exact = await PostAsync(new ByteArrayContent(json) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        Assert.Equal(HttpStatusCode.OK, chunked.Status);
        Assert.Equal(exact, chunked);
        AssertAllReturned();
    }

    [Fact]
    public async Task Score_ClientAbortsMidBody_BufferBackAndTheNextRequestServed()
    {
        using var content = new HalfSentContent(200_000);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var sending = _client.PostAsync("/score", content, abort.Token);
        await content.HalfSent.WaitAsync(TestContext.Current.CancellationToken);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        AssertAllReturned();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(ImageRequest(NoiseBase64(60, 5)))).Status);
        AssertAllReturned();
    }

    [Fact]
    public async Task Score_BodyOver32MiB_FullCollectionAfterIt()
    {
        // A text request padded with JSON white space to just over the 32 MiB threshold.
        string json = "{\"input_data\": {\"columns\": [\"text\"], \"data\": [[\"x-ray chest\"]]}}" + new string(' ', 32 << 20);
        var (status, _) = await PostAsync(json);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(SpinWait.SpinUntil(() => _log.Text.Contains("full collection after it", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain("x-ray chest", _log.Text, StringComparison.Ordinal);
        AssertAllReturned();
    }

    /// <summary>A body without a length (sent chunked), written 10,000 bytes at a time.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (int offset = 0; offset < _bytes.Length; offset += 10_000)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(10_000, _bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Announces a length and sends half of it, then waits: the test aborts it as a client that goes away.</summary>
    private sealed class HalfSentContent : HttpContent
    {
        private readonly int _length;
        private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HalfSentContent(int length)
        {
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
            Headers.ContentLength = length;
        }

        public Task HalfSent => _halfSent.Task;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"input_data\": " + new string(' ', _length / 2)), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            _halfSent.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}
