using System.Reflection;
using System.Text;
using System.Text.Json;

namespace MedServe.Server.Tests.Deployments;

/// <summary>
/// No patient data outside the response: every contract and bad-input test runs against a server whose
/// every log line (all categories, all levels, ASP.NET Core's included) is kept, and no prompt, image
/// base64, DICOM payload or key those tests sent may appear in it.
/// </summary>
public sealed class LogLeakTests
{
    private static readonly Type[] ContractTests = [typeof(ScoringContractTests), typeof(BadInputTests), typeof(DicomScoringTests)];

    [Fact]
    public async Task ContractTests_FullRunWithAllLogsKept_NoInputStringAppearsInTheLogs()
    {
        var capture = new CapturingLoggerProvider();
        var recorder = new RecordingHandler();
        var fixture = new ServerFixture(capture, recorder);
        await fixture.InitializeAsync();
        int ran;
        try
        {
            ran = await RunAllAsync(fixture, ContractTests);
        }
        finally
        {
            await fixture.DisposeAsync();
        }

        Assert.True(ran > 50, $"only {ran} contract test cases ran");
        Assert.Contains("Scored 1 rows on medimageinsight/medimageinsight", capture.Text, StringComparison.Ordinal);
        Assert.Contains("Refused request", capture.Text, StringComparison.Ordinal);
        AssertNoInputInLogs(capture.Text, recorder);
    }

    [Fact]
    public async Task MedImageParseTests_FullRunWithAllLogsKept_NoPromptOrImageAppearsInTheLogs()
    {
        var capture = new CapturingLoggerProvider();
        var recorder = new RecordingHandler();
        var fixture = new ParseServerFixture(capture, recorder);
        await fixture.InitializeAsync();
        int ran;
        try
        {
            ran = await RunAllAsync(fixture, [typeof(MedImageParseContractTests), typeof(MedImageParseBadInputTests), typeof(MedImageParseDicomTests)]);
        }
        finally
        {
            await fixture.DisposeAsync();
        }

        Assert.True(ran > 40, $"only {ran} MedImageParse test cases ran");
        Assert.Contains("Scored 1 rows on medimageparse/medimageparse", capture.Text, StringComparison.Ordinal);
        AssertNoInputInLogs(capture.Text, recorder);
    }

    private static async Task<int> RunAllAsync(object fixture, Type[] types)
    {
        int ran = 0;
        foreach (var type in types)
        {
            object instance = Activator.CreateInstance(type, fixture)!;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                foreach (object?[] arguments in Cases(method))
                {
                    if (await RunAsync(instance, method, arguments))
                    {
                        ran++;
                    }
                }
            }
        }

        return ran;
    }

    private static void AssertNoInputInLogs(string logs, RecordingHandler recorder)
    {
        var needles = recorder.Bodies.SelectMany(InputStrings).Concat(recorder.Credentials).Where(s => s.Length >= 8).Distinct().ToList();
        Assert.True(needles.Count > 20, $"only {needles.Count} input strings were sent");
        foreach (string needle in needles)
        {
            string probe = needle.Length > 48 ? needle[..48] : needle;
            Assert.False(logs.Contains(probe, StringComparison.Ordinal), $"the logs hold a string a request sent: '{probe}'");
        }
    }

    private static IEnumerable<object?[]> Cases(MethodInfo method)
    {
        if (method.GetCustomAttribute<FactAttribute>() is null)
        {
            yield break;
        }

        var rows = method.GetCustomAttributes<InlineDataAttribute>().ToList();
        if (method.GetCustomAttribute<TheoryAttribute>() is null)
        {
            yield return [];
            yield break;
        }

        foreach (var row in rows)
        {
            yield return row.Data;
        }
    }

    /// <summary>Runs one test case; a skipped case (e.g. without GDCM) does not count.</summary>
    private static async Task<bool> RunAsync(object instance, MethodInfo method, object?[] arguments)
    {
        try
        {
            if (method.Invoke(instance, arguments) is Task task)
            {
                await task;
            }

            return true;
        }
        catch (TargetInvocationException ex) when (IsSkip(ex.InnerException))
        {
            return false;
        }
        catch (Exception ex) when (IsSkip(ex))
        {
            return false;
        }
    }

    private static bool IsSkip(Exception? ex) => ex?.GetType().Name == "SkipException";

    /// <summary>Every string a request body carried: JSON string values (cells, params), or the raw text of a body that is not JSON.</summary>
    private static IEnumerable<string> InputStrings(byte[] body)
    {
        var found = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(body);
            Collect(document.RootElement, found);
        }
        catch (JsonException)
        {
            found.Add(Encoding.UTF8.GetString(body));
        }

        return found;
    }

    private static void Collect(JsonElement element, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name != "columns")
                    {
                        Collect(property.Value, found);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, found);
                }

                break;
            case JsonValueKind.String:
                found.Add(element.GetString()!);
                break;
        }
    }
}
