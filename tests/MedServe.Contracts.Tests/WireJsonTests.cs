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
