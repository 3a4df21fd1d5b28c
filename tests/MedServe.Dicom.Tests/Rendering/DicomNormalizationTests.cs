using MedServe.Dicom.Rendering;

namespace MedServe.Dicom.Tests.Rendering;

public sealed class DicomNormalizationTests
{
    private const string NotOneOf = "is not one of window, percentile, percentile:LOW:HIGH, percentile_nonzero:LOW:HIGH, ct:SITE, minmax";

    [Fact]
    public void TryParse_Window_ReturnsWindow()
    {
        Assert.True(DicomNormalization.TryParse("window", out DicomNormalization value, out string error));
        Assert.Same(WindowNormalization.Instance, value);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public void TryParse_MinMax_ReturnsMinMax()
    {
        Assert.True(DicomNormalization.TryParse("minmax", out DicomNormalization value, out _));
        Assert.Same(MinMaxNormalization.Instance, value);
    }

    [Fact]
    public void TryParse_UpperCase_IsAccepted()
    {
        Assert.True(DicomNormalization.TryParse("CT:Lung", out DicomNormalization value, out _));
        Assert.Equal(new CtWindowNormalization("lung", -1000, 1000), value);
    }

    [Fact]
    public void TryParse_BarePercentile_ReturnsModelDefaultPlaceholder()
    {
        Assert.True(DicomNormalization.TryParse("percentile", out DicomNormalization value, out _));
        Assert.Same(ModelDefaultPercentileNormalization.Instance, value);
        Assert.Equal(DicomNormalization.MedImageParseDefault, value.WithModelDefault(DicomNormalization.MedImageParseDefault));
    }

    [Fact]
    public void WithModelDefault_ConcretePreset_IsUnchanged()
    {
        var preset = new PercentileNormalization(2, 98, NonZeroOnly: false);
        Assert.Same(preset, preset.WithModelDefault(DicomNormalization.MedImageParseDefault));
        Assert.Same(MinMaxNormalization.Instance, MinMaxNormalization.Instance.WithModelDefault(DicomNormalization.CxrReportGenDefault));
    }

    [Fact]
    public void TryParse_PercentileWithBounds_IsAllPixels()
    {
        Assert.True(DicomNormalization.TryParse("percentile:1:99", out DicomNormalization value, out _));
        Assert.Equal(new PercentileNormalization(1, 99, NonZeroOnly: false), value);
    }

    [Fact]
    public void TryParse_PercentileNonZero_IsNonZeroOnly()
    {
        Assert.True(DicomNormalization.TryParse("percentile_nonzero:0.5:99.5", out DicomNormalization value, out _));
        Assert.Equal(new PercentileNormalization(0.5, 99.5, NonZeroOnly: true), value);
    }

    [Fact]
    public void TryParse_PercentileFullRange_IsAccepted()
    {
        Assert.True(DicomNormalization.TryParse("percentile:0:100", out DicomNormalization value, out _));
        Assert.Equal(new PercentileNormalization(0, 100, NonZeroOnly: false), value);
    }

    [Theory]
    [InlineData("abdomen", -150, 250)]
    [InlineData("lung", -1000, 1000)]
    [InlineData("pelvis", -55, 200)]
    [InlineData("liver", -25, 230)]
    [InlineData("colon", -68, 187)]
    [InlineData("pancreas", -100, 200)]
    public void TryParse_CtSite_HasContractWindow(string site, double low, double high)
    {
        Assert.True(DicomNormalization.TryParse("ct:" + site, out DicomNormalization value, out _));
        Assert.Equal(new CtWindowNormalization(site, low, high), value);
    }

    [Fact]
    public void TryParse_UnknownCtSite_ListsSites()
    {
        Assert.False(DicomNormalization.TryParse("ct:brain", out _, out string error));
        Assert.Equal("normalization 'ct:brain' has an unknown CT site; sites are abdomen, lung, pelvis, liver, colon, pancreas", error);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("percentile:1")]
    [InlineData("percentile:1:2:3")]
    [InlineData("ct")]
    [InlineData(" window")]
    [InlineData("")]
    public void TryParse_UnknownSyntax_ListsSyntaxes(string text)
    {
        Assert.False(DicomNormalization.TryParse(text, out _, out string error));
        Assert.Equal($"normalization '{text}' {NotOneOf}", error);
    }

    [Fact]
    public void TryParse_Null_IsAnError()
    {
        Assert.False(DicomNormalization.TryParse(null, out _, out string error));
        Assert.Equal($"normalization '' {NotOneOf}", error);
    }

    [Theory]
    [InlineData("percentile:99:1")]
    [InlineData("percentile:5:5")]
    [InlineData("percentile:-1:50")]
    [InlineData("percentile:1:101")]
    [InlineData("percentile:a:b")]
    [InlineData("percentile:NaN:5")]
    [InlineData("percentile_nonzero:1,5:99")]
    [InlineData("percentile_nonzero:1e1:99")]
    public void TryParse_BadPercentileBounds_ExplainsBounds(string text)
    {
        Assert.False(DicomNormalization.TryParse(text, out _, out string error));
        Assert.Equal($"normalization '{text}' needs percentile bounds 0 <= LOW < HIGH <= 100", error);
    }

    [Fact]
    public void TryParse_LongInput_IsEchoedShortened()
    {
        string text = new('z', 500);
        Assert.False(DicomNormalization.TryParse(text, out _, out string error));
        Assert.True(error.Length < 200, error);
        Assert.StartsWith("normalization 'zzzz", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelDefaults_MatchOfficialClients()
    {
        Assert.Equal(new PercentileNormalization(1, 99, NonZeroOnly: false), DicomNormalization.MedImageInsightDefault);
        Assert.Equal(new PercentileNormalization(0.5, 99.5, NonZeroOnly: true), DicomNormalization.MedImageParseDefault);
        Assert.Equal(new PercentileNormalization(1, 99, NonZeroOnly: false), DicomNormalization.CxrReportGenDefault);
    }
}
