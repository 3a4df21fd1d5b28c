using System.Text;
using BenchmarkDotNet.Attributes;
using MedServe.Models.Scoring;

namespace MedServe.Benchmarks;

/// <summary>
/// Parsing the Azure envelope of a 10-row request (<see cref="ScoringFrameParser.TryParse"/>): the step every
/// request pays before any model work. Text rows, and image rows whose cells are 64 KB base64 strings (the
/// parser keeps cells as JSON elements; decoding the base64 is the model's step, not measured here).
/// </summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private byte[] _textRows = [];
    private byte[] _imageRows = [];

    [GlobalSetup]
    public void Setup()
    {
        string text = string.Join(", ", Enumerable.Range(0, 10).Select(i => $"[\"x-ray chest anteroposterior finding {i}\"]"));
        _textRows = Envelope("text", text);
        string cell = Convert.ToBase64String(new byte[48 * 1024]);
        string images = string.Join(", ", Enumerable.Range(0, 10).Select(_ => $"[\"{cell}\"]"));
        _imageRows = Envelope("image", images);
    }

    [Benchmark]
    public int TenTextRows() => Parse(_textRows);

    [Benchmark]
    public int TenImageRows() => Parse(_imageRows);

    private static byte[] Envelope(string column, string rows) => Encoding.UTF8.GetBytes(
        "{\"input_data\": {\"columns\": [\"" + column + "\"], \"index\": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], \"data\": [" + rows + "]}, \"params\": {}}");

    private static int Parse(byte[] body)
    {
        using var frame = ScoringFrameParser.TryParse(body, out string error) ?? throw new InvalidOperationException(error);
        return frame.RowCount;
    }
}
