using MedServe.Server.Configuration;

namespace MedServe.Server.Tests.Deployments;

/// <summary>Azure ML endpoint and deployment YAML: the keys users already write, and a message naming file, key and problem for each mistake.</summary>
public sealed class AzureYamlReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-yaml-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private string Write(string name, string yaml)
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void ReadEndpoint_AzureShape_ReadsEveryKey()
    {
        var spec = AzureYamlReader.ReadEndpoint(Write("endpoint.yml", """
            $schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json
            name: chest-embeddings
            auth_mode: aml_token
            description: MedImageInsight for the chest clinic
            traffic:
              blue: 90
              green: 10
            mirror_traffic:
              shadow: 20
            tags:
              team: radiology
            """));
        Assert.Equal("chest-embeddings", spec.Name);
        Assert.Equal(AuthModes.AmlToken, spec.AuthMode);
        Assert.Equal("MedImageInsight for the chest clinic", spec.Description);
        Assert.Equal(new Dictionary<string, int> { ["blue"] = 90, ["green"] = 10 }, spec.Traffic);
        Assert.Equal(new Dictionary<string, int> { ["shadow"] = 20 }, spec.MirrorTraffic);
    }

    [Fact]
    public void ReadDeployment_AzureShape_ReadsEveryKeyAndResolvesTheModelPath()
    {
        var spec = AzureYamlReader.ReadDeployment(Write("blue.yml", """
            $schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json
            name: blue
            endpoint_name: chest-embeddings
            model:
              path: ./packages/medimageinsight
            instance_type: Standard_NC6s_v3
            instance_count: 2
            request_settings:
              request_timeout_ms: 90000
              max_concurrent_requests_per_instance: 4
              max_queue_wait_ms: 1000
            liveness_probe:
              initial_delay: 30
              period: 5
              timeout: 3
              success_threshold: 1
              failure_threshold: 10
            readiness_probe:
              period: 7
            environment_variables:
              OMP_NUM_THREADS: "4"
            execution_provider: cpu
            intra_op_threads: 2
            """));
        Assert.Equal("blue", spec.Name);
        Assert.Equal("chest-embeddings", spec.EndpointName);
        Assert.Equal(Path.Combine(_dir, "packages", "medimageinsight"), spec.Model);
        Assert.Equal("Standard_NC6s_v3", spec.InstanceType);
        Assert.Equal(2, spec.InstanceCount);
        Assert.Equal(new RequestSettings { RequestTimeoutMs = 90000, MaxConcurrentRequestsPerInstance = 4, MaxQueueWaitMs = 1000 }, spec.RequestSettings);
        Assert.Equal(new ProbeSettings { InitialDelay = 30, Period = 5, Timeout = 3, SuccessThreshold = 1, FailureThreshold = 10 }, spec.LivenessProbe);
        Assert.Equal(new ProbeSettings { Period = 7 }, spec.ReadinessProbe);
        Assert.Equal("4", spec.EnvironmentVariables["OMP_NUM_THREADS"]);
        Assert.Equal(2, spec.IntraOpThreads);
    }

    [Fact]
    public void ReadDeployment_Minimal_TakesTheHostedDefaults()
    {
        var spec = AzureYamlReader.ReadDeployment(Write("d.yml", "name: green\nendpoint_name: ep1\nmodel: /srv/pkg\n"));
        Assert.Equal("/srv/pkg", spec.Model);
        Assert.Equal(1, spec.InstanceCount);
        Assert.Equal(5000, spec.RequestSettings.RequestTimeoutMs);
        Assert.Equal(1, spec.RequestSettings.MaxConcurrentRequestsPerInstance);
        Assert.Equal("cpu", spec.ExecutionProvider);
    }

    [Theory]
    [InlineData("name: ep1\nauth_mode: password\n", "e.yml: auth_mode: 'password' is not one of key, aml_token, aad_token")]
    [InlineData("name: e\n", "e.yml: name: 'e' is not a valid name (3 to 32 characters: a letter first, then letters, digits or '-')")]
    [InlineData("auth_mode: key\n", "e.yml: name: the name is missing")]
    [InlineData("name: ep1\ntraffic:\n  blue: 50\n  green: 30\n", "e.yml: traffic: the weights add up to 80; they must add up to 100 (or 0 for no live traffic)")]
    [InlineData("name: ep1\ntraffic:\n  blue: lots\n", "e.yml: traffic.blue: must be a whole percentage, not 'lots'")]
    [InlineData("name: ep1\ntraffic:\n  blue: 120\n", "e.yml: traffic.blue: 120 is not a percentage from 0 to 100")]
    [InlineData("name: ep1\ntraffic: [blue]\n", "e.yml: traffic: must be a mapping of keys to values")]
    [InlineData("name: ep1\nmirror_traffic:\n  green: 60\n", "e.yml: mirror_traffic.green: 60 is not a percentage from 0 to 50")]
    [InlineData("name: ep1\ntraffic:\n  blue: 100\nmirror_traffic:\n  blue: 10\n", "e.yml: mirror_traffic.blue: a deployment that receives live traffic (100%) cannot also receive mirrored traffic")]
    [InlineData("name: ep1\nidentity: system\n", "e.yml: identity: is not a key of an endpoint (known: name, auth_mode, description, traffic, mirror_traffic, tags)")]
    [InlineData("name: ep1\n  auth_mode: key\n", "e.yml (line 2): not valid YAML: ")]
    [InlineData("- name\n- ep1\n", "e.yml: the file must hold one YAML mapping (key: value lines)")]
    public void ReadEndpoint_Mistake_NamesFileKeyAndProblem(string yaml, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => AzureYamlReader.ReadEndpoint(Write("e.yml", yaml)));
        Assert.Equal("e.yml", ex.File);
        Assert.StartsWith(expected, Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("instance_count: 0\n", "d.yml: instance_count: 0 is not from 1 to 64")]
    [InlineData("instance_count: two\n", "d.yml: instance_count: must be a whole number, not 'two'")]
    [InlineData("request_settings:\n  request_timeout_ms: 200000\n", "d.yml: request_settings.request_timeout_ms: 200000 is not from 1 to 180000")]
    [InlineData("request_settings:\n  max_concurrent_requests_per_instance: 0\n", "d.yml: request_settings.max_concurrent_requests_per_instance: 0 is not from 1 to 1000")]
    [InlineData("request_settings:\n  timeout: 5\n", "d.yml: request_settings.timeout: is not a key of request_settings (known: request_timeout_ms, max_concurrent_requests_per_instance, max_queue_wait_ms)")]
    [InlineData("readiness_probe:\n  period: 0\n", "d.yml: readiness_probe.period: 0 is not from 1 to 3600")]
    [InlineData("execution_provider: tpu\n", "d.yml: execution_provider: 'tpu' is not one of cpu, cuda")]
    [InlineData("code_configuration:\n  code: ./src\n", "d.yml: code_configuration: MedServe serves model packages, not scoring scripts or environments; remove the key and point 'model' at a package folder")]
    public void ReadDeployment_Mistake_NamesFileKeyAndProblem(string extra, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => AzureYamlReader.ReadDeployment(Write("d.yml", "name: blue\nendpoint_name: ep1\nmodel: ./pkg\n" + extra)));
        Assert.Equal(expected, Assert.Single(ex.Problems));
    }

    [Theory]
    [InlineData("name: blue\nendpoint_name: ep1\n", "d.yml: model: the model package folder is missing")]
    [InlineData("name: blue\nendpoint_name: ep1\nmodel: azureml:medimageinsight:1\n", "d.yml: model: registered Azure ML models (azureml:…) are not available here; give the model package folder's path")]
    [InlineData("name: blue\nmodel: ./pkg\n", "d.yml: endpoint_name: the name is missing")]
    public void ReadDeployment_ModelOrEndpointMissing_SaysSo(string yaml, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => AzureYamlReader.ReadDeployment(Write("d.yml", yaml)));
        Assert.Equal(expected, Assert.Single(ex.Problems));
    }

    [Fact]
    public void ReadDeployment_SeveralMistakes_ListsEachOnce()
    {
        var ex = Assert.Throws<ConfigurationException>(() => AzureYamlReader.ReadDeployment(Write("d.yml", "name: b\nendpoint_name: ep1\nmodel: ./pkg\ninstance_count: -1\ncolour: red\n")));
        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains("d.yml: colour: is not a key of a deployment", ex.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("d.yml: name: 'b' is not a valid name", ex.Problems[1], StringComparison.Ordinal);
        Assert.Equal("d.yml: instance_count: -1 is not from 1 to 64", ex.Problems[2]);
    }

    [Fact]
    public void ReadEndpoint_MissingFile_SaysItCannotBeRead()
    {
        var ex = Assert.Throws<ConfigurationException>(() => AzureYamlReader.ReadEndpoint(Path.Combine(_dir, "nope.yml")));
        Assert.StartsWith(Path.Combine(_dir, "nope.yml") + ": cannot read the file", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }
}
