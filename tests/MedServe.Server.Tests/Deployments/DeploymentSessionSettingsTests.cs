using MedServe.Inference.Runtime;
using MedServe.Server.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Server.Tests.Deployments;

/// <summary>A deployment's ONNX Runtime keys: read from YAML, defaulted, refused with file, key and problem, and mapped onto session settings.</summary>
public sealed class DeploymentSessionSettingsTests : IDisposable
{
    private readonly DeploymentYaml _yaml = new();

    public void Dispose() => _yaml.Dispose();

    private DeploymentSpec Read(string extra) => _yaml.Read(extra);

    [Fact]
    public void ReadDeployment_EverySessionKey_IsRead()
    {
        var spec = Read("""
            execution_provider: cuda
            device_id: 3
            intra_op_threads: 4
            inter_op_threads: 2
            execution_mode: parallel
            graph_optimization_level: extended
            enable_cpu_mem_arena: false
            enable_memory_pattern: False
            allow_spinning: true
            """);
        Assert.Equal("cuda", spec.ExecutionProvider);
        Assert.Equal(3, spec.DeviceId);
        Assert.Equal(4, spec.IntraOpThreads);
        Assert.Equal(2, spec.InterOpThreads);
        Assert.Equal("parallel", spec.ExecutionMode);
        Assert.Equal("extended", spec.GraphOptimizationLevel);
        Assert.False(spec.EnableCpuMemArena);
        Assert.False(spec.EnableMemoryPattern);
        Assert.True(spec.AllowSpinning);
        Assert.True(DeploymentSessionSettings.From(spec).AllowSpinning);
    }

    [Fact]
    public void ReadDeployment_NoSessionKeys_TakesTheDefaultsAndMapsToTheDefaultSessionSettings()
    {
        var spec = Read("");
        Assert.Equal("cpu", spec.ExecutionProvider);
        Assert.Equal(0, spec.DeviceId);
        Assert.Equal(0, spec.IntraOpThreads);
        Assert.Equal(0, spec.InterOpThreads);
        Assert.Equal("sequential", spec.ExecutionMode);
        Assert.Equal("all", spec.GraphOptimizationLevel);
        Assert.True(spec.EnableCpuMemArena);
        Assert.True(spec.EnableMemoryPattern);
        Assert.Equal(SessionSettings.Default, DeploymentSessionSettings.From(spec));
    }

    [Fact]
    public void ReadDeployment_NullSessionKeys_KeepTheirDefaults()
    {
        var spec = Read("execution_mode: null\nenable_cpu_mem_arena: ~\ninter_op_threads:\n");
        Assert.Equal("sequential", spec.ExecutionMode);
        Assert.True(spec.EnableCpuMemArena);
        Assert.Equal(0, spec.InterOpThreads);
    }

    [Theory]
    [InlineData("execution_provider: gpu\n", "d.yml: execution_provider: 'gpu' is not one of cpu, cuda")]
    [InlineData("execution_provider: CUDA\n", "d.yml: execution_provider: 'CUDA' is not one of cpu, cuda")]
    [InlineData("execution_mode: concurrent\n", "d.yml: execution_mode: 'concurrent' is not one of sequential, parallel")]
    [InlineData("graph_optimization_level: max\n", "d.yml: graph_optimization_level: 'max' is not one of disable, basic, extended, all")]
    [InlineData("graph_optimization_level: [all]\n", "d.yml: graph_optimization_level: must be a single value, not a list or mapping")]
    [InlineData("intra_op_threads: 257\n", "d.yml: intra_op_threads: 257 is not from 0 to 256")]
    [InlineData("inter_op_threads: -1\nexecution_mode: parallel\n", "d.yml: inter_op_threads: -1 is not from 0 to 256")]
    [InlineData("inter_op_threads: many\n", "d.yml: inter_op_threads: must be a whole number, not 'many'")]
    [InlineData("inter_op_threads: 2\n", "d.yml: inter_op_threads: applies only with execution_mode: parallel (sequential runs one operator at a time)")]
    [InlineData("execution_provider: cuda\ndevice_id: 64\n", "d.yml: device_id: 64 is not from 0 to 63")]
    [InlineData("device_id: 1\n", "d.yml: device_id: applies only with execution_provider: cuda")]
    [InlineData("enable_cpu_mem_arena: yes\n", "d.yml: enable_cpu_mem_arena: must be true or false, not 'yes'")]
    [InlineData("enable_memory_pattern: \"true\"\n", "d.yml: enable_memory_pattern: must be true or false, not 'true'")]
    [InlineData("session_options:\n  intra_op_threads: 1\n", "d.yml: session_options: is not a key of a deployment (known: name, endpoint_name, model, instance_type, instance_count, request_settings, liveness_probe, readiness_probe, environment_variables, description, tags, app_insights_enabled, execution_provider, device_id, intra_op_threads, inter_op_threads, execution_mode, graph_optimization_level, enable_cpu_mem_arena, enable_memory_pattern, allow_spinning, batching)")]
    public void ReadDeployment_BadSessionKey_NamesFileKeyAndProblem(string extra, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(extra));
        Assert.Equal(expected, Assert.Single(ex.Problems));
    }

    [Fact]
    public void From_EveryKey_IsMappedOntoSessionSettings()
    {
        var spec = new DeploymentSpec
        {
            Name = "blue",
            EndpointName = "ep1",
            Model = "/srv/pkg",
            ExecutionProvider = "cuda",
            DeviceId = 1,
            IntraOpThreads = 6,
            InterOpThreads = 3,
            ExecutionMode = "parallel",
            GraphOptimizationLevel = "basic",
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
        };
        Assert.Empty(SpecValidator.Validate(spec));
        Assert.Equal(new SessionSettings
        {
            ExecutionProvider = ExecutionProviderKind.Cuda,
            DeviceId = 1,
            IntraOpThreads = 6,
            InterOpThreads = 3,
            ExecutionMode = ExecutionMode.ORT_PARALLEL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
        }, DeploymentSessionSettings.From(spec));
    }

    [Theory]
    [InlineData("disable", GraphOptimizationLevel.ORT_DISABLE_ALL)]
    [InlineData("basic", GraphOptimizationLevel.ORT_ENABLE_BASIC)]
    [InlineData("extended", GraphOptimizationLevel.ORT_ENABLE_EXTENDED)]
    [InlineData("all", GraphOptimizationLevel.ORT_ENABLE_ALL)]
    public void From_GraphOptimizationLevel_MapsEachName(string name, GraphOptimizationLevel expected)
    {
        var spec = new DeploymentSpec { Name = "blue", EndpointName = "ep1", Model = "/srv/pkg", GraphOptimizationLevel = name };
        Assert.Equal(expected, DeploymentSessionSettings.From(spec).GraphOptimizationLevel);
    }
}
