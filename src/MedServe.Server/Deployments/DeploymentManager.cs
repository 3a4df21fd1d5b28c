using System.Diagnostics;
using System.Security.Cryptography;
using MedServe.Inference.Packages;
using MedServe.Inference.Runtime;
using MedServe.Server.Configuration;
using MedServe.Server.Hosting;
using MedServe.Server.Management;
using MedServe.Server.Observability;
using MedServe.Server.Security;
using MedServe.Server.State;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Deployments;

/// <summary>
/// Owns the endpoints and deployments: every change is validated, written to the state database in one
/// transaction, then applied to the live registry; deployments load in the background.
/// <code>
/// change ─► SpecValidator (400) ─► exists? (404 / 409) ─► StateStore (one transaction) ─► registry
/// load   ─► factory × instance_count ─► serving ─► warm-up on every instance ─► ready   (a load throw ─► failed, reason kept;
///                                                                                  a warm-up throw ─► serving, never ready)
/// </code>
/// </summary>
internal sealed class DeploymentManager(
    ServerOptions options,
    EndpointRegistry registry,
    StateStore store,
    DeploymentModelFactory factory,
    AadTokenValidator aad,
    ServerMetrics metrics,
    ILogger<DeploymentManager> logger)
{
    /// <summary>The request settings of a deployment made from a package on the command line (as unlimited as before deployments existed).</summary>
    public static readonly RequestSettings PackageRequestSettings = new() { RequestTimeoutMs = SpecValidator.MaxRequestTimeoutMs, MaxConcurrentRequestsPerInstance = 32 };

    private readonly Lock _gate = new();

    public EndpointRegistry Registry => registry;

    /// <summary>Seeds the packages loaded before start, restores the stored endpoints, and starts loading their deployments.</summary>
    public void Start()
    {
        lock (_gate)
        {
            registry.MarkStarted();
            var seeded = new HashSet<string>(StringComparer.Ordinal);
            foreach (var seed in registry.Seeds)
            {
                seeded.Add(seed.Name);
                var spec = new EndpointSpec { Name = seed.Name, Traffic = new Dictionary<string, int> { [seed.DeploymentName] = 100 } };
                var deployment = new DeploymentSpec
                {
                    Name = seed.DeploymentName,
                    EndpointName = seed.Name,
                    Model = seed.PackageDirectory ?? "",
                    RequestSettings = PackageRequestSettings,
                };
                // A package on the command line replaces a stored endpoint of the same name.
                store.DeleteEndpoint(seed.Name);
                store.SaveEndpoint(spec, store.Secret.Protect(options.PrimaryKey!), store.Secret.Protect(options.SecondaryKey!));
                store.SaveDeployment(deployment);
                var endpoint = new LiveEndpoint(spec, ServerSecret.HashKey(options.PrimaryKey!), ServerSecret.HashKey(options.SecondaryKey!));
                var live = new LiveDeployment(deployment);
                live.SetLoaded([seed.Model], PackageHash(seed.PackageDirectory));
                endpoint.SetDeployment(live);
                registry.Add(endpoint);
                _ = Task.Run(() => WarmUpAsync(endpoint, live, Stopwatch.GetTimestamp()));
            }

            var deployments = store.LoadDeployments();
            foreach (var stored in store.LoadEndpoints().Where(e => !seeded.Contains(e.Spec.Name)))
            {
                var endpoint = new LiveEndpoint(stored.Spec, stored.Primary.Hash, stored.Secondary.Hash);
                registry.Add(endpoint);
                foreach (var spec in deployments.Where(d => d.EndpointName == stored.Spec.Name))
                {
                    var live = new LiveDeployment(spec);
                    endpoint.SetDeployment(live);
                    StartLoad(endpoint, live);
                }
            }

            registry.DefaultName = options.DefaultEndpoint ?? registry.Seeds.FirstOrDefault()?.Name ?? registry.Names.FirstOrDefault();
            Log.StateRestored(logger, store.Path ?? "memory", registry.Names.Count, deployments.Count);
        }
    }

    public Outcome<EndpointView> CreateEndpoint(EndpointSpec spec)
    {
        lock (_gate)
        {
            if (Refuse(SpecValidator.Validate(spec)) is string invalid)
            {
                return Outcome<EndpointView>.Fail(400, invalid);
            }

            if (registry.TryGet(spec.Name, out _))
            {
                return Outcome<EndpointView>.Fail(409, $"endpoint '{spec.Name}' already exists; use 'endpoint update'");
            }

            if (CheckEndpoint(spec, null) is string problem)
            {
                return Outcome<EndpointView>.Fail(400, problem);
            }

            string primary = KeyAuthenticator.GenerateKey();
            string secondary = KeyAuthenticator.GenerateKey();
            store.SaveEndpoint(spec, store.Secret.Protect(primary), store.Secret.Protect(secondary));
            var endpoint = new LiveEndpoint(spec, ServerSecret.HashKey(primary), ServerSecret.HashKey(secondary));
            registry.Add(endpoint);
            if (options.DefaultEndpoint is null)
            {
                registry.DefaultName ??= spec.Name;
            }

            Log.EndpointChanged(logger, spec.Name, "created");
            return Outcome<EndpointView>.Ok(View(endpoint) with { Keys = new EndpointKeys { PrimaryKey = primary, SecondaryKey = secondary } }, 201);
        }
    }

    public Outcome<EndpointView> UpdateEndpoint(EndpointSpec spec)
    {
        lock (_gate)
        {
            if (Refuse(SpecValidator.Validate(spec)) is string invalid)
            {
                return Outcome<EndpointView>.Fail(400, invalid);
            }

            if (!registry.TryGet(spec.Name, out var endpoint))
            {
                return Outcome<EndpointView>.Fail(404, $"no endpoint named '{spec.Name}'; use 'endpoint create'");
            }

            if (CheckEndpoint(spec, endpoint) is string problem)
            {
                return Outcome<EndpointView>.Fail(400, problem);
            }

            store.UpdateEndpoint(spec);
            endpoint.Spec = spec;
            Log.EndpointChanged(logger, spec.Name, "updated");
            return Outcome<EndpointView>.Ok(View(endpoint));
        }
    }

    public Outcome<string> DeleteEndpoint(string name)
    {
        lock (_gate)
        {
            if (!registry.TryGet(name, out _))
            {
                return Outcome<string>.Fail(404, $"no endpoint named '{Cut(name)}'");
            }

            store.DeleteEndpoint(name);
            registry.Remove(name, out var endpoint);
            foreach (var deployment in endpoint.Deployments.Values)
            {
                deployment.Previous?.Retire();
                deployment.Retire();
            }

            // A configured default stays the default (it answers 404 until it exists again); otherwise the oldest takes over.
            if (options.DefaultEndpoint is null && registry.DefaultName == name)
            {
                registry.DefaultName = registry.Names.FirstOrDefault();
            }

            Log.EndpointChanged(logger, name, "deleted");
            return Outcome<string>.Ok(name);
        }
    }

    public Outcome<EndpointKeys> GetKeys(string name)
    {
        lock (_gate)
        {
            var stored = store.LoadEndpoints().FirstOrDefault(e => e.Spec.Name == name);
            if (stored is null || !registry.TryGet(name, out _))
            {
                return Outcome<EndpointKeys>.Fail(404, $"no endpoint named '{Cut(name)}'");
            }

            return Outcome<EndpointKeys>.Ok(new EndpointKeys { PrimaryKey = store.Secret.Unseal(stored.Primary.Sealed), SecondaryKey = store.Secret.Unseal(stored.Secondary.Sealed) });
        }
    }

    public Outcome<EndpointKeys> RegenerateKey(string name, string keyType)
    {
        KeySlot? slot = keyType switch
        {
            "primary" => KeySlot.Primary,
            "secondary" => KeySlot.Secondary,
            _ => null,
        };
        if (slot is null)
        {
            return Outcome<EndpointKeys>.Fail(400, $"key_type: '{Cut(keyType)}' is not primary or secondary");
        }

        lock (_gate)
        {
            if (!registry.TryGet(name, out var endpoint))
            {
                return Outcome<EndpointKeys>.Fail(404, $"no endpoint named '{Cut(name)}'");
            }

            string key = KeyAuthenticator.GenerateKey();
            var protectedKey = store.Secret.Protect(key);
            store.SetKey(name, slot.Value, protectedKey);
            endpoint.SetKeyHash(slot.Value, protectedKey.Hash);
            Log.EndpointChanged(logger, name, slot == KeySlot.Primary ? "primary key regenerated" : "secondary key regenerated");
        }

        return GetKeys(name);
    }

    public Outcome<DeploymentView> CreateDeployment(DeploymentSpec spec, bool allTraffic)
    {
        lock (_gate)
        {
            if (Refuse(SpecValidator.Validate(spec)) is string invalid)
            {
                return Outcome<DeploymentView>.Fail(400, invalid);
            }

            if (!registry.TryGet(spec.EndpointName, out var endpoint))
            {
                return Outcome<DeploymentView>.Fail(404, $"no endpoint named '{spec.EndpointName}'; create the endpoint first");
            }

            if (endpoint.Deployments.ContainsKey(spec.Name))
            {
                return Outcome<DeploymentView>.Fail(409, $"endpoint '{spec.EndpointName}' already has a deployment named '{spec.Name}'; use 'deployment update'");
            }

            var live = new LiveDeployment(spec);
            if (allTraffic)
            {
                var endpointSpec = endpoint.Spec with
                {
                    Traffic = new Dictionary<string, int>(endpoint.Spec.Traffic.Select(t => KeyValuePair.Create(t.Key, 0))) { [spec.Name] = 100 },
                    MirrorTraffic = new Dictionary<string, int>(endpoint.Spec.MirrorTraffic.Where(m => m.Key != spec.Name)),
                };
                store.SaveDeploymentAndEndpoint(spec, endpointSpec);
                endpoint.SetDeployment(live);
                endpoint.Spec = endpointSpec;
            }
            else
            {
                store.SaveDeployment(spec);
                endpoint.SetDeployment(live);
            }

            StartLoad(endpoint, live);
            Log.DeploymentChanged(logger, spec.EndpointName, spec.Name, "created");
            return Outcome<DeploymentView>.Ok(View(live), 201);
        }
    }

    public Outcome<DeploymentView> UpdateDeployment(DeploymentSpec spec)
    {
        lock (_gate)
        {
            if (Refuse(SpecValidator.Validate(spec)) is string invalid)
            {
                return Outcome<DeploymentView>.Fail(400, invalid);
            }

            if (!registry.TryGet(spec.EndpointName, out var endpoint) || !endpoint.Deployments.TryGetValue(spec.Name, out var old))
            {
                return Outcome<DeploymentView>.Fail(404, $"endpoint '{Cut(spec.EndpointName)}' has no deployment named '{Cut(spec.Name)}'; use 'deployment create'");
            }

            store.SaveDeployment(spec);
            // The old deployment keeps answering until the new one has loaded.
            var keep = old.Current is { State: DeploymentState.Serving or DeploymentState.Ready } current ? current : null;
            foreach (var stale in new[] { old, old.Previous })
            {
                if (stale is not null && stale != keep)
                {
                    stale.Retire();
                }
            }

            var live = new LiveDeployment(spec, keep);
            endpoint.SetDeployment(live);
            StartLoad(endpoint, live);
            Log.DeploymentChanged(logger, spec.EndpointName, spec.Name, "updated");
            return Outcome<DeploymentView>.Ok(View(live));
        }
    }

    public Outcome<string> DeleteDeployment(string endpointName, string name)
    {
        lock (_gate)
        {
            if (!registry.TryGet(endpointName, out var endpoint) || !endpoint.Deployments.TryGetValue(name, out var live))
            {
                return Outcome<string>.Fail(404, $"endpoint '{Cut(endpointName)}' has no deployment named '{Cut(name)}'");
            }

            int share = Math.Max(endpoint.Spec.Traffic.GetValueOrDefault(name), endpoint.Spec.MirrorTraffic.GetValueOrDefault(name));
            if (share > 0)
            {
                return Outcome<string>.Fail(409, $"deployment '{name}' still receives {share}% of endpoint '{endpointName}''s traffic; set it to 0 with 'endpoint update' first");
            }

            var spec = endpoint.Spec with
            {
                Traffic = new Dictionary<string, int>(endpoint.Spec.Traffic.Where(t => t.Key != name)),
                MirrorTraffic = new Dictionary<string, int>(endpoint.Spec.MirrorTraffic.Where(t => t.Key != name)),
            };
            store.DeleteDeployment(endpointName, name);
            store.UpdateEndpoint(spec);
            endpoint.Spec = spec;
            endpoint.RemoveDeployment(name);
            live.Previous?.Retire();
            live.Retire();
            Log.DeploymentChanged(logger, endpointName, name, "deleted");
            return Outcome<string>.Ok(name);
        }
    }

    /// <summary>
    /// Brings the state in line with endpoint and deployment files (<c>serve --config</c>): endpoints are
    /// created (or updated) without traffic, deployments created (or updated when their spec changed),
    /// then each endpoint gets its traffic. Returns the problems; empty when everything applied.
    /// </summary>
    public IReadOnlyList<string> Apply(IReadOnlyList<EndpointSpec> endpoints, IReadOnlyList<DeploymentSpec> deployments)
    {
        var problems = new List<string>();
        var empty = new Dictionary<string, int>();
        foreach (var spec in endpoints)
        {
            bool exists = registry.TryGet(spec.Name, out var live);
            var first = spec with { Traffic = exists ? live.Spec.Traffic.Where(t => live.Deployments.ContainsKey(t.Key)).ToDictionary() : empty, MirrorTraffic = empty };
            Collect(problems, spec.Name, exists ? UpdateEndpoint(first).Error : CreateEndpoint(first).Error);
        }

        foreach (var spec in deployments)
        {
            if (registry.TryGet(spec.EndpointName, out var endpoint) && endpoint.Deployments.TryGetValue(spec.Name, out var current))
            {
                if (!Same(current.Spec, spec))
                {
                    Collect(problems, $"{spec.EndpointName}/{spec.Name}", UpdateDeployment(spec).Error);
                }
            }
            else
            {
                Collect(problems, $"{spec.EndpointName}/{spec.Name}", CreateDeployment(spec, allTraffic: false).Error);
            }
        }

        foreach (var spec in endpoints)
        {
            Collect(problems, spec.Name, UpdateEndpoint(spec).Error);
        }

        return problems;

        static void Collect(List<string> problems, string what, string? error)
        {
            if (error is not null)
            {
                problems.Add($"{what}: {error}");
            }
        }

        static bool Same(DeploymentSpec a, DeploymentSpec b) =>
            System.Text.Json.JsonSerializer.Serialize(a, ManagementJsonContext.Default.DeploymentSpec)
            == System.Text.Json.JsonSerializer.Serialize(b, ManagementJsonContext.Default.DeploymentSpec);
    }

    /// <summary>Waits until a deployment has loaded and warmed up (or failed), then shows it.</summary>
    public async Task<Outcome<DeploymentView>> WaitAsync(string endpointName, string name, CancellationToken cancellationToken)
    {
        if (registry.TryGet(endpointName, out var endpoint) && endpoint.Deployments.TryGetValue(name, out var live))
        {
            await live.Settled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return ShowDeployment(endpointName, name);
    }

    public Outcome<EndpointView> ShowEndpoint(string name) =>
        registry.TryGet(name, out var endpoint) ? Outcome<EndpointView>.Ok(View(endpoint)) : Outcome<EndpointView>.Fail(404, $"no endpoint named '{Cut(name)}'");

    public IReadOnlyList<EndpointView> ListEndpoints() => [.. registry.All.Select(View)];

    public Outcome<DeploymentView> ShowDeployment(string endpointName, string name) =>
        registry.TryGet(endpointName, out var endpoint) && endpoint.Deployments.TryGetValue(name, out var live)
            ? Outcome<DeploymentView>.Ok(View(live))
            : Outcome<DeploymentView>.Fail(404, $"endpoint '{Cut(endpointName)}' has no deployment named '{Cut(name)}'");

    public Outcome<IReadOnlyList<DeploymentView>> ListDeployments(string endpointName) =>
        registry.TryGet(endpointName, out var endpoint)
            ? Outcome<IReadOnlyList<DeploymentView>>.Ok([.. endpoint.Deployments.Values.OrderBy(d => d.Spec.Name, StringComparer.Ordinal).Select(View)])
            : Outcome<IReadOnlyList<DeploymentView>>.Fail(404, $"no endpoint named '{Cut(endpointName)}'");

    public EndpointView View(LiveEndpoint endpoint) => new()
    {
        Name = endpoint.Name,
        AuthMode = endpoint.Spec.AuthMode,
        Description = endpoint.Spec.Description,
        Traffic = endpoint.Spec.Traffic,
        MirrorTraffic = endpoint.Spec.MirrorTraffic,
        ScoringUri = $"/endpoints/{endpoint.Name}/score",
        OpenApiUri = $"/endpoints/{endpoint.Name}/swagger.json",
        IsDefault = registry.DefaultName == endpoint.Name,
        Deployments = [.. endpoint.Deployments.Keys.Order(StringComparer.Ordinal)],
    };

    public static DeploymentView View(LiveDeployment deployment)
    {
        var descriptor = deployment.Current.Descriptor;
        return new DeploymentView
        {
            Spec = deployment.Spec,
            ProvisioningState = deployment.State switch
            {
                DeploymentState.Loading => deployment.Previous is null ? "Creating" : "Updating",
                DeploymentState.Failed => "Failed",
                _ => "Succeeded",
            },
            FailureReason = deployment.FailureReason,
            Ready = deployment.State == DeploymentState.Ready,
            ModelName = descriptor?.Name,
            ModelVersion = descriptor?.Version,
            Task = descriptor?.Task,
            PackageSha256 = deployment.Current.PackageSha256 is { Length: > 0 } hash ? hash : null,
            InFlight = deployment.InFlight,
            InFlightLimit = deployment.InFlightLimit,
        };
    }

    private string? CheckEndpoint(EndpointSpec spec, LiveEndpoint? endpoint)
    {
        if (spec.AuthMode == AuthModes.AadToken && !aad.IsConfigured)
        {
            return "auth_mode: aad_token needs the server's aad issuer, audience and signing keys (see docs/deployment.md)";
        }

        foreach (var name in spec.Traffic.Keys.Concat(spec.MirrorTraffic.Keys))
        {
            if (endpoint is null || !endpoint.Deployments.ContainsKey(name))
            {
                return $"traffic: endpoint '{spec.Name}' has no deployment named '{name}'; create the deployment first, then 'endpoint update'";
            }
        }

        return null;
    }

    private void StartLoad(LiveEndpoint endpoint, LiveDeployment deployment) =>
        _ = Task.Run(() => LoadAsync(endpoint, deployment));

    private async Task LoadAsync(LiveEndpoint endpoint, LiveDeployment deployment)
    {
        var spec = deployment.Spec;
        long started = Stopwatch.GetTimestamp();
        Log.DeploymentLoading(logger, spec.EndpointName, spec.Name, spec.InstanceCount);
        var models = new List<Models.Scoring.IScoringModel>();
        try
        {
            for (int i = 0; i < spec.InstanceCount; i++)
            {
                models.Add(factory(spec, i));
            }
        }
        catch (ModelPackageException ex)
        {
            Fail(models, deployment, $"the model package was refused: {string.Join("; ", ex.Problems)}");
            return;
        }
        catch (ExecutionProviderUnavailableException ex)
        {
            Fail(models, deployment, $"the execution provider is not available: {ex.Message}");
            return;
        }
#pragma warning disable CA1031 // Any load failure marks this deployment failed; the other deployments keep serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(models, deployment, $"the model package failed to load: {ex.GetType().Name}: {ex.Message}");
            return;
        }

        deployment.SetLoaded([.. models], PackageHash(spec.Model));
        await WarmUpAsync(endpoint, deployment, started).ConfigureAwait(false);
    }

    private async Task WarmUpAsync(LiveEndpoint endpoint, LiveDeployment deployment, long started)
    {
        var spec = deployment.Spec;
        // The warm-up holds an in-flight place like a request, so a retire (an update, a delete, the server
        // stopping) waits for it before disposing the models it is running on.
        if (!deployment.TryEnter())
        {
            return;
        }

        try
        {
            for (int i = 0; i < deployment.InstanceCount; i++)
            {
                await WarmUp.RunAsync(deployment.Model(i), CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A failed warm-up marks this deployment failed; the other deployments keep serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The model loaded, so it keeps serving (its failures answer 500 as always), but it never reports ready.
            deployment.SetWarmUpFailed($"the warm-up inference failed ({ex.GetType().Name}); the deployment serves but is not ready");
            Log.DeploymentFailed(logger, spec.EndpointName, spec.Name, deployment.FailureReason!);
            return;
        }
        finally
        {
            deployment.Exit();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.ModelLoad(endpoint.Name, spec.Name, elapsed);
        deployment.SetReady();
        Log.DeploymentReady(logger, spec.EndpointName, spec.Name, elapsed.TotalMilliseconds);
    }

    private void Fail(List<Models.Scoring.IScoringModel> loaded, LiveDeployment deployment, string reason)
    {
        foreach (var model in loaded)
        {
            model.Dispose();
        }

        deployment.SetFailed(reason);
        Log.DeploymentFailed(logger, deployment.Spec.EndpointName, deployment.Spec.Name, reason);
    }

    private static string PackageHash(string? directory)
    {
        string? manifest = directory is null ? null : Path.Combine(directory, "medserve.json");
        return manifest is not null && File.Exists(manifest) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(manifest))) : "";
    }

    private static string? Refuse(IReadOnlyList<string> problems) => problems.Count == 0 ? null : string.Join("; ", problems);

    private static string Cut(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
