using System.Text.Json;

namespace MedServe.Contracts.Tests;

public sealed class WireJsonTests
{
    [Fact]
    public void MedImageInsightResult_ImageOnly_NestsImageFeaturesAndOmitsText()
    {
        var row = new MedImageInsightResult { ImageFeatures = [[0.6f, 0.8f]], ScalingFactor = 4.513362 };
        string json = JsonSerializer.Serialize(row, ContractsJsonContext.Default.MedImageInsightResult);
        Assert.Equal("{\"image_features\":[[0.6,0.8]],\"scaling_factor\":4.513362}", json);
    }

    [Fact]
    public void MedImageInsightResult_TextWithoutScaling_IsFlatAndOmitsScaling()
    {
        var row = new MedImageInsightResult { TextFeatures = [1f, 0f] };
        Assert.Equal("{\"text_features\":[1,0]}", JsonSerializer.Serialize(row, ContractsJsonContext.Default.MedImageInsightResult));
    }

    [Fact]
    public void MedImageInsightResultArray_IsABareArray()
    {
        MedImageInsightResult[] rows = [new() { TextFeatures = [1f] }, new() { TextFeatures = [0f] }];
        Assert.Equal("[{\"text_features\":[1]},{\"text_features\":[0]}]", JsonSerializer.Serialize(rows, ContractsJsonContext.Default.MedImageInsightResultArray));
    }

    [Fact]
    public void ErrorResponse_IsAMessageObject()
    {
        Assert.Equal("{\"message\":\"invalid key\"}", JsonSerializer.Serialize(new ErrorResponse("invalid key"), ContractsJsonContext.Default.ErrorResponse));
    }

    [Fact]
    public void ScoringRequest_RoundTripsTheSplitFrame()
    {
        const string Json = "{\"input_data\":{\"columns\":[\"image\",\"text\"],\"index\":[0],\"data\":[[null,\"lung\"]]},\"params\":\"sitk\"}";
        var request = JsonSerializer.Deserialize(Json, ContractsJsonContext.Default.ScoringRequest)!;
        Assert.Equal(["image", "text"], request.InputData.Columns);
        Assert.Null(request.InputData.Data[0][0]);
        Assert.Equal("lung", request.InputData.Data[0][1]);
        Assert.Equal(JsonValueKind.String, request.Params!.Value.ValueKind);
        Assert.Equal(Json, JsonSerializer.Serialize(request, ContractsJsonContext.Default.ScoringRequest));
    }
}

public sealed class MaskArrayTests
{
    [Fact]
    public void Encode_TwoMasks_IsPythonSpacedJsonWithStandardBase64()
    {
        byte[] masks = [0, 255, 128, 3, 250, 251, 252, 1];
        Assert.Equal("{\"data\": \"AP+AA/r7/AE=\", \"shape\": [2, 2, 2], \"dtype\": \"uint8\"}", MaskArray.Encode(masks, 2, 2, 2));
    }

    [Fact]
    public void TryDecode_EncodedMasks_RoundTrips()
    {
        byte[] masks = [.. Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)(i * 7))];
        Assert.True(MaskArray.TryDecode(MaskArray.Encode(masks, 3, 4, 5), out byte[] decoded, out var shape, out string error), error);
        Assert.Equal((3, 4, 5), shape);
        Assert.Equal(masks, decoded);
    }

    [Fact]
    public void TryDecode_ZeroMasks_IsAnEmptyStack()
    {
        Assert.True(MaskArray.TryDecode(MaskArray.Encode([], 0, 8, 8), out byte[] decoded, out var shape, out _));
        Assert.Empty(decoded);
        Assert.Equal((0, 8, 8), shape);
    }

    [Theory]
    [InlineData("[1]", "holds a list, not an object with 'data', 'shape' and 'dtype'")]
    [InlineData("{\"data\": \"AA==\", \"shape\": [1, 1, 1], \"dtype\": \"float32\"}", "'dtype' is 'float32'; masks are 'uint8' (probability × 255)")]
    [InlineData("{\"data\": \"AA==\", \"shape\": [1, 1], \"dtype\": \"uint8\"}", "'shape' must be 3 integers [N, H, W] (N at least 0, H and W at least 1)")]
    [InlineData("{\"data\": \"AA==\", \"shape\": [1, -1, 1], \"dtype\": \"uint8\"}", "'shape' must be 3 integers [N, H, W] (N at least 0, H and W at least 1)")]
    [InlineData("{\"shape\": [1, 1, 1], \"dtype\": \"uint8\"}", "'data' is missing")]
    [InlineData("{\"data\": \"A\", \"shape\": [1, 1, 1], \"dtype\": \"uint8\"}", "'data' is not valid base64")]
    [InlineData("{\"data\": \"AAA=\", \"shape\": [1, 1, 1], \"dtype\": \"uint8\"}", "'data' holds 2 bytes, but shape [1, 1, 1] needs 1")]
    [InlineData("{data", "does not hold valid JSON (line 1, byte 2)")]
    public void TryDecode_Malformed_RefusedWithTheProblem(string json, string message)
    {
        Assert.False(MaskArray.TryDecode(json, out _, out _, out string error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void MedImageParseResult_OmitsDetectionKeysWhenNull()
    {
        var row = new MedImageParseResult { ImageFeatures = "{}", TextFeatures = ["liver"] };
        Assert.Equal("{\"image_features\":\"{}\",\"text_features\":[\"liver\"]}", JsonSerializer.Serialize(row, ContractsJsonContext.Default.MedImageParseResult));
    }
}
