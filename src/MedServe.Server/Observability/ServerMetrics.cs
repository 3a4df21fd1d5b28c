using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MedServe.Server.Observability;

/// <summary>
/// The server's instruments (meter <c>MedServe.Server</c>), exported by Prometheus at <c>/metrics</c>.
/// Labels are names, codes and reasons only — never request content.
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "MedServe.Server";

    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180];
    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _queue;
    private readonly Histogram<double> _preprocess;
    private readonly Histogram<double> _inference;
    private readonly Histogram<double> _postprocess;
    private readonly Histogram<long> _rows;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Histogram<double> _load;

    public ServerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("medserve_requests", description: "Scoring requests by endpoint, deployment, status and failure reason.");
        _queue = Seconds("medserve_queue_duration", "Time waiting for a free model instance.");
        _preprocess = Seconds("medserve_preprocess_duration", "Time reading and parsing the request body.");
        _inference = Seconds("medserve_inference_duration", "Time in the model (decode, graphs, result rows).");
        _postprocess = Seconds("medserve_postprocess_duration", "Time writing the response.");
        _rows = _meter.CreateHistogram<long>("medserve_request_rows", description: "Rows per scoring request.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _inFlight = _meter.CreateUpDownCounter<long>("medserve_in_flight_requests", description: "Scoring requests in flight.");
        _load = Seconds("medserve_model_load_duration", "Time to load a deployment's model instances and run the warm-up.");
    }

    public void Request(string endpoint, string deployment, int status, string reason) =>
        _requests.Add(1, new TagList { { "endpoint", endpoint }, { "deployment", deployment }, { "status", status }, { "reason", reason } });

    public void Queue(string endpoint, string deployment, TimeSpan time) => _queue.Record(time.TotalSeconds, Tags(endpoint, deployment));

    public void Preprocess(string endpoint, string deployment, TimeSpan time) => _preprocess.Record(time.TotalSeconds, Tags(endpoint, deployment));

    public void Inference(string endpoint, string deployment, TimeSpan time) => _inference.Record(time.TotalSeconds, Tags(endpoint, deployment));

    public void Postprocess(string endpoint, string deployment, TimeSpan time) => _postprocess.Record(time.TotalSeconds, Tags(endpoint, deployment));

    public void Rows(string endpoint, string deployment, int rows) => _rows.Record(rows, Tags(endpoint, deployment));

    public void InFlight(string endpoint, string deployment, int delta) => _inFlight.Add(delta, Tags(endpoint, deployment));

    public void ModelLoad(string endpoint, string deployment, TimeSpan time) => _load.Record(time.TotalSeconds, Tags(endpoint, deployment));

    public void Dispose() => _meter.Dispose();

    private static TagList Tags(string endpoint, string deployment) => new() { { "endpoint", endpoint }, { "deployment", deployment } };

    private Histogram<double> Seconds(string name, string description) =>
        _meter.CreateHistogram<double>(name, unit: "s", description: description,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
}
