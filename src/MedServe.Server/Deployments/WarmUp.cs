using System.Text.Json;
using MedServe.Imaging;
using MedServe.Models.Scoring;

namespace MedServe.Server.Deployments;

/// <summary>
/// The warm-up inference a deployment runs before it reports ready: one row with every column of the
/// model, a small synthetic JPEG in image columns and <see cref="Text"/> in text columns. Its answer is
/// not checked (a model may refuse the combination); only an exception fails the deployment.
/// </summary>
internal static class WarmUp
{
    /// <summary>What text columns of the warm-up row hold (test models recognise it).</summary>
    public const string Text = "medserve warm-up";

    private static readonly Lazy<string> Image = new(() =>
    {
        var pixels = new PixelBuffer(64, 64, PixelFormat.Rgb8);
        for (int i = 0; i < pixels.Data.Length; i++)
        {
            pixels.Data[i] = (byte)(i * 7 % 251);
        }

        return Convert.ToBase64String(JpegEncoder.Encode(pixels, 90));
    });

    public static async Task RunAsync(IScoringModel model, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("input_data");
            writer.WriteStartArray("columns");
            foreach (var column in model.Descriptor.Columns)
            {
                writer.WriteStringValue(column.Name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("index");
            writer.WriteNumberValue(0);
            writer.WriteEndArray();
            writer.WriteStartArray("data");
            writer.WriteStartArray();
            foreach (var column in model.Descriptor.Columns)
            {
                writer.WriteStringValue(column.IsImage ? Image.Value : Text);
            }

            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        using var frame = ScoringFrameParser.TryParse(buffer.ToArray(), out string error)
            ?? throw new InvalidOperationException("the warm-up request did not parse: " + error);
        await model.ScoreAsync(frame, cancellationToken).ConfigureAwait(false);
    }
}
