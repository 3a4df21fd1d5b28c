namespace MedServe.Imaging.Tests;

public sealed class PixelBufferTests
{
    [Theory]
    [InlineData(PixelFormat.Gray8, 1)]
    [InlineData(PixelFormat.GrayAlpha8, 2)]
    [InlineData(PixelFormat.Rgb8, 3)]
    [InlineData(PixelFormat.Rgba8, 4)]
    public void ChannelCount_EachFormat_ReturnsSamplesPerPixel(PixelFormat format, int expected)
    {
        Assert.Equal(expected, PixelBuffer.ChannelCount(format));
        var buffer = new PixelBuffer(3, 2, format);
        Assert.Equal(expected, buffer.Channels);
        Assert.Equal(3 * expected, buffer.Stride);
        Assert.Equal(6 * expected, buffer.Data.Length);
    }

    [Fact]
    public void Constructor_WrongDataLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PixelBuffer(2, 2, PixelFormat.Rgb8, new byte[11]));
    }

    [Fact]
    public void Constructor_ZeroWidth_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PixelBuffer(0, 2, PixelFormat.Gray8));
    }

    [Fact]
    public void Row_SecondRow_StartsAfterFirstStride()
    {
        var buffer = new PixelBuffer(2, 2, PixelFormat.GrayAlpha8, [1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Equal(new byte[] { 5, 6, 7, 8 }, buffer.Row(1).ToArray());
    }
}
