using System.Text;

namespace MedServe.Imaging.Tests;

public sealed class Crc32Tests
{
    [Fact]
    public void Compute_StandardCheckInput_ReturnsCheckValue()
    {
        // The catalogued check value of CRC-32/ISO-HDLC for "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Compute_IendChunkType_MatchesEveryPngsTrailer()
    {
        // Every PNG ends with 00 00 00 00 'IEND' AE 42 60 82.
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }
}
