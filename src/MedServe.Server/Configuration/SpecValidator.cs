using System.Globalization;
using System.Text.RegularExpressions;

namespace MedServe.Server.Configuration;

/// <summary>
/// Checks endpoint and deployment specs against the Azure rules (names, ranges, traffic sums). Each
/// problem is <c>key: what is wrong</c>, so a file reader can prefix its file name.
/// </summary>
public static partial class SpecValidator
{
    /// <summary>The longest accepted request timeout, as hosted (milliseconds).</summary>
    public const int MaxRequestTimeoutMs = 180_000;

    /// <summary>The most instances of one deployment.</summary>
    public const int MaxInstanceCount = 64;

    /// <summary>The largest mirror share, as hosted (percent).</summary>
    public const int MaxMirrorPercent = 50;

    /// <summary>Returns the problems with an endpoint spec; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(EndpointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        CheckName(problems, "name", spec.Name);
        if (!AuthModes.All.Contains(spec.AuthMode, StringComparer.Ordinal))
        {
            problems.Add($"auth_mode: '{Cut(spec.AuthMode)}' is not one of {string.Join(", ", AuthModes.All)}");
        }

        int sum = 0;
        foreach (var (deployment, weight) in spec.Traffic)
        {
            CheckName(problems, $"traffic.{Cut(deployment)}", deployment, asKey: true);
            if (weight is < 0 or > 100)
            {
                problems.Add($"traffic.{Cut(deployment)}: {weight} is not a percentage from 0 to 100");
            }

            sum += weight;
        }

        if (sum is not (0 or 100) && spec.Traffic.Values.All(w => w is >= 0 and <= 100))
        {
            problems.Add($"traffic: the weights add up to {sum}; they must add up to 100 (or 0 for no live traffic)");
        }

        if (spec.MirrorTraffic.Count > 1)
        {
            problems.Add("mirror_traffic: at most one deployment can receive mirrored traffic");
        }

        foreach (var (deployment, weight) in spec.MirrorTraffic)
        {
            CheckName(problems, $"mirror_traffic.{Cut(deployment)}", deployment, asKey: true);
            if (weight is < 0 or > MaxMirrorPercent)
            {
                problems.Add($"mirror_traffic.{Cut(deployment)}: {weight} is not a percentage from 0 to {MaxMirrorPercent}");
            }

            if (weight > 0 && spec.Traffic.TryGetValue(deployment, out int live) && live > 0)
            {
                problems.Add($"mirror_traffic.{Cut(deployment)}: a deployment that receives live traffic ({live}%) cannot also receive mirrored traffic");
            }
        }

        return problems;
    }

    /// <summary>Returns the problems with a deployment spec; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        CheckName(problems, "name", spec.Name);
        CheckName(problems, "endpoint_name", spec.EndpointName);
        if (string.IsNullOrWhiteSpace(spec.Model))
        {
            problems.Add("model: the model package folder is missing");
        }

        Range(problems, "instance_count", spec.InstanceCount, 1, MaxInstanceCount);
        var settings = spec.RequestSettings;
        Range(problems, "request_settings.request_timeout_ms", settings.RequestTimeoutMs, 1, MaxRequestTimeoutMs);
        Range(problems, "request_settings.max_concurrent_requests_per_instance", settings.MaxConcurrentRequestsPerInstance, 1, 1000);
        Range(problems, "request_settings.max_queue_wait_ms", settings.MaxQueueWaitMs, 0, MaxRequestTimeoutMs);
        CheckBatching(problems, spec.Batching);
        foreach (var (key, probe) in new[] { ("liveness_probe", spec.LivenessProbe), ("readiness_probe", spec.ReadinessProbe) })
        {
            Range(problems, key + ".initial_delay", probe.InitialDelay, 0, 3600);
            Range(problems, key + ".period", probe.Period, 1, 3600);
            Range(problems, key + ".timeout", probe.Timeout, 1, 3600);
            Range(problems, key + ".success_threshold", probe.SuccessThreshold, 1, 1000);
            Range(problems, key + ".failure_threshold", probe.FailureThreshold, 1, 1000);
        }

        // Whether the provider is in this build is known only when sessions are made: the deployment fails then.
        DeploymentSessionSettings.Validate(spec, problems);
        return problems;
    }

    private static void CheckBatching(List<string> problems, BatchingSettings batching)
    {
        if (batching.MaxBatchSize is int size)
        {
            Range(problems, "batching.max_batch_size", size, 1, BatchingSettings.MaxBatchSizeLimit);
        }

        Range(problems, "batching.max_queue_delay_ms", batching.MaxQueueDelayMs, 0, BatchingSettings.MaxQueueDelayLimitMs);
    }

    /// <summary>True for a valid endpoint or deployment name (as Azure: 3–32 characters, a letter first, then letters, digits and '-').</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    private static void CheckName(List<string> problems, string key, string? name, bool asKey = false)
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Add($"{key}: the name is missing");
        }
        else if (!IsValidName(name))
        {
            problems.Add(asKey
                ? $"{key}: is not a valid deployment name (3 to 32 characters: a letter first, then letters, digits or '-')"
                : $"{key}: '{Cut(name)}' is not a valid name (3 to 32 characters: a letter first, then letters, digits or '-')");
        }
    }

    private static void Range(List<string> problems, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: {value} is not from {min} to {max}"));
        }
    }

    private static string Cut(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{2,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
