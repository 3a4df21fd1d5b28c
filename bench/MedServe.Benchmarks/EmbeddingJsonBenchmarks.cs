using System.Text.Json;
using BenchmarkDotNet.Attributes;
using MedServe.Contracts;

namespace MedServe.Benchmarks;

/// <summary>
/// Writing a MedImageInsight response of 16 text rows of 1024-d embeddings (the JSON every text request
/// pays for): <c>Runtime</c> writes each float with <see cref="Utf8JsonWriter.WriteNumberValue(float)"/>
/// (what the source-generated serializer did before), <c>Shortest</c> is the wire context with
/// <see cref="Float32ArrayJsonConverter"/>. Both give the same bytes (tests compare them).
/// </summary>
[MemoryDiagnoser]
public class EmbeddingJsonBenchmarks
{
    private MedImageInsightResult[] _rows = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _rows = [.. Enumerable.Range(0, 16).Select(_ => new MedImageInsightResult
        {
            TextFeatures = [.. Enumerable.Range(0, 1024).Select(_ => (float)((random.NextDouble() - 0.5) * 0.1))],
        })];
    }

    [Benchmark(Baseline = true)]
    public int Runtime()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var row in _rows)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("text_features");
                foreach (float v in row.TextFeatures!)
                {
                    writer.WriteNumberValue(v);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return (int)stream.Length;
    }

    [Benchmark]
    public int Shortest() => JsonSerializer.SerializeToUtf8Bytes(_rows, ContractsJsonContext.Default.MedImageInsightResultArray).Length;
}
