using System.Net;
using System.Text;
using System.Text.Json;
using MedServe.Server.Configuration;
using MedServe.Server.Management;

namespace MedServe.Server.Tests.Deployments;

/// <summary>A deployment file's <c>batching</c> block: read, defaulted, validated, turned into model options.</summary>
public sealed class BatchingSettingsTests : IDisposable
{
    private readonly DeploymentYaml _yaml = new();

    public void Dispose() => _yaml.Dispose();

    private DeploymentSpec Read(string extra) => _yaml.Read(extra);

    [Fact]
    public void ReadDeployment_BatchingBlock_ReadsEveryKey()
    {
        var spec = Read("batching:\n  enabled: true\n  max_batch_size: 16\n  max_queue_delay_ms: 5\n");
        Assert.Equal(new BatchingSettings { Enabled = true, MaxBatchSize = 16, MaxQueueDelayMs = 5 }, spec.Batching);
        var options = spec.Batching.ToOptions();
        Assert.NotNull(options);
        Assert.Equal(16, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(5), options.MaxQueueDelay);
    }

    [Fact]
    public void ReadDeployment_NoBatchingBlock_BatchesWithThePackageSizeAndNoDelay()
    {
        var spec = Read("");
        Assert.True(spec.Batching.Enabled);
        var options = spec.Batching.ToOptions();
        Assert.NotNull(options);
        Assert.Null(options.MaxBatchSize);
        Assert.Equal(TimeSpan.Zero, options.MaxQueueDelay);
    }

    [Fact]
    public void ReadDeployment_BatchingDisabled_NoModelOptions()
    {
        var spec = Read("batching:\n  enabled: false\n");
        Assert.False(spec.Batching.Enabled);
        Assert.Null(spec.Batching.ToOptions());
    }

    [Theory]
    [InlineData("batching:\n  max_batch_size: 0\n", "d.yml: batching.max_batch_size: 0 is not from 1 to 1024")]
    [InlineData("batching:\n  max_queue_delay_ms: 1001\n", "d.yml: batching.max_queue_delay_ms: 1001 is not from 0 to 1000")]
    [InlineData("batching:\n  enabled: yes\n", "d.yml: batching.enabled: must be true or false, not 'yes'")]
    [InlineData("batching:\n  max_batch_size: many\n", "d.yml: batching.max_batch_size: must be a whole number, not 'many'")]
    [InlineData("batching:\n  delay: 5\n", "d.yml: batching.delay: is not a key of batching (known: enabled, max_batch_size, max_queue_delay_ms)")]
    [InlineData("batching: true\n", "d.yml: batching: must be a mapping of keys to values")]
    public void ReadDeployment_BatchingMistake_NamesTheKey(string extra, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(extra));
        Assert.Equal(expected, Assert.Single(ex.Problems));
    }

    [Fact]
    public async Task CreateDeployment_PartialBatchingJson_KeepsTheOtherDefaults()
    {
        await using var host = await DeploymentHost.StartAsync();
        await host.CreateEndpointAsync(new EndpointSpec { Name = "partial" });
        var response = await host.Admin.PostAsync("/management/endpoints/partial/deployments?wait=true", new StringContent(
            """{"name": "blue", "endpoint_name": "partial", "model": "fake:blue", "batching": {"max_queue_delay_ms": 3, "max_batch_size": null}}""",
            Encoding.UTF8, "application/json"), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(DeploymentHost.Token), ManagementJsonContext.Default.DeploymentView)!;
        Assert.Equal(new BatchingSettings { Enabled = true, MaxBatchSize = null, MaxQueueDelayMs = 3 }, view.Spec.Batching);

        response = await host.Admin.PostAsync("/management/endpoints/partial/deployments?wait=true", new StringContent(
            """{"name": "green", "endpoint_name": "partial", "model": "fake:green", "batching": {"max_queue_delay_ms": 5000}}""",
            Encoding.UTF8, "application/json"), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("batching.max_queue_delay_ms: 5000 is not from 0 to 1000", await DeploymentHost.MessageAsync(response), StringComparison.Ordinal);
    }
}
