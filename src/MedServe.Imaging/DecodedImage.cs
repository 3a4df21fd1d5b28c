namespace MedServe.Imaging;

/// <summary>The result of <see cref="ImageDecoder.Decode"/>: pixels plus what the source said about itself.</summary>
/// <param name="Pixels">The decoded 8-bit samples.</param>
/// <param name="SourceFormat">The container the bytes were in.</param>
/// <param name="IsPalette">
/// <see langword="true"/> for a palette (indexed) PNG. Pillow opens these as mode <c>P</c>, which it always
/// resizes with nearest-neighbour; see <see cref="PillowResampler.EffectiveFilter"/>.
/// </param>
/// <param name="SourceBitDepth">Bits per sample (per index for palette images) as stored: 1, 2, 4, 8 or 16.</param>
public sealed record DecodedImage(PixelBuffer Pixels, ImageFormat SourceFormat, bool IsPalette, int SourceBitDepth);
