using MedServe.Models.MedImageParse;

namespace MedServe.Models.Tests.MedImageParse;

public sealed class QueryMatcherTests
{
    [Fact]
    public void BestQuery_LongCaptionWithSmallerAngle_LosesToTheClosestDirection()
    {
        // Query 0 has the largest dot product (norm 10) but cosine 0.6; query 1 has cosine 0.8.
        float[] captions = [6f, 8f, 0.8f, 0.6f, 0f, -1f];
        Assert.Equal(1, QueryMatcher.BestQuery([1f, 0f], captions, 100f));
    }

    [Fact]
    public void BestQuery_Tie_FirstQueryWins()
    {
        float[] captions = [0f, 1f, 1f, 0f, 1f, 0f];
        Assert.Equal(1, QueryMatcher.BestQuery([1f, 0f], captions, 1f));
    }

    [Fact]
    public void Category_BackgroundLogitHighest_IsIgnored()
    {
        float[] logits = new float[17];
        logits[16] = 9f;
        logits[3] = 2f;
        logits[11] = 1f;
        Assert.Equal(3, QueryMatcher.Category(logits));
        Assert.Equal("pancreas", MedImageParseCategories.Names[3]);
    }

    [Theory]
    [InlineData(4.6052, 100.0)]
    [InlineData(10.0, 100.0)]
    [InlineData(2.302585, 10.0)]
    public void Scale_ExpOfLogitScale_ClampedAt100(double logitScale, double expected)
    {
        Assert.Equal(expected, QueryMatcher.Scale(logitScale), 3);
    }

    [Fact]
    public void Names_AreTheSixteenHostedCategoriesInLogitOrder()
    {
        Assert.Equal(16, MedImageParseCategories.Names.Count);
        Assert.Equal("liver", MedImageParseCategories.Names[0]);
        Assert.Equal("infection", MedImageParseCategories.Names[10]);
        Assert.Equal("other", MedImageParseCategories.Names[15]);
    }
}
