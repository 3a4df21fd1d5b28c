using MedServe.Imaging.Overlays;

namespace MedServe.Imaging.Tests.Overlays;

public sealed class MaskStackTests
{
    [Fact]
    public void Mask_SecondOfTwo_IsItsCOrderSlice()
    {
        byte[] data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

        var stack = new MaskStack(2, 2, 3, data);

        Assert.Equal(new byte[] { 7, 8, 9, 10, 11, 12 }, stack.Mask(1).ToArray());
    }

    [Fact]
    public void InsideCount_CountsValuesFrom128()
    {
        var stack = new MaskStack(2, 1, 4, [0, 127, 128, 255, 127, 127, 129, 1]);

        Assert.Equal(2, stack.InsideCount(0));
        Assert.Equal(1, stack.InsideCount(1));
    }

    [Fact]
    public void Constructor_DataOfTheWrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MaskStack(2, 2, 2, new byte[7]));
    }

    [Fact]
    public void Mask_IndexPastTheEnd_Throws()
    {
        var stack = new MaskStack(1, 1, 1, [0]);

        Assert.Throws<ArgumentOutOfRangeException>(() => stack.Mask(1).Length);
    }
}
