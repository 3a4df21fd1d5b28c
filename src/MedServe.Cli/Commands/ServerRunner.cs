using MedServe.Dicom.Worker;
using MedServe.Inference.Packages;
using MedServe.Models;
using MedServe.Models.Scoring;
using MedServe.Inference.Runtime;
using MedServe.Server.Configuration;
using MedServe.Server.Deployments;
using MedServe.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MedServe.Cli.Commands;

/// <summary>Loads packages, starts the server, prints how to call it, and waits for Ctrl+C.</summary>
internal static class ServerRunner
{
    public static async Task<int> RunAsync(CliContext context, ServerOptions options, IReadOnlyList<string> packageDirectories,
        bool demo, CancellationToken cancellationToken, DeclaredState? declared = null)
    {
        declared ??= new DeclaredState([], []);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            await context.Error.WriteLineAsync("error: " + string.Join("; ", problems)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (packageDirectories.Count == 0 && options.StatePath is null && declared.IsEmpty)
        {
            await context.Error.WriteLineAsync("error: give at least one model package folder (or --config FILE, or --state FILE to serve the endpoints stored there)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // One pool of DICOM worker processes for every endpoint of this server.
        using var dicom = new DicomDecoder(new DicomDecoderOptions
        {
            PoolSize = options.DicomWorkers,
            DecodeTimeout = TimeSpan.FromSeconds(options.DicomTimeoutSeconds),
        });
        // Packages on the command line batch with the defaults of a deployment's batching block.
        var loadOptions = new ModelLoadOptions
        {
            MaxImagePixels = options.MaxImagePixels,
            MaxRows = options.MaxRowsPerRequest,
            Dicom = dicom,
            Batching = new BatchingSettings().ToOptions(),
        };
        var endpoints = new List<ServedEndpoint>();
        try
        {
            foreach (string directory in packageDirectories)
            {
                await context.Output.WriteLineAsync($"loading {directory} …").ConfigureAwait(false);
                IScoringModel model = ModelLoader.Load(directory, loadOptions);
                endpoints.Add(new ServedEndpoint(model.Descriptor.Name, model.Descriptor.Name, model, Path.GetFullPath(directory)));
            }
        }
        catch (ModelPackageException ex)
        {
            DisposeAll(endpoints);
            await context.Error.WriteLineAsync($"error: model package '{ex.Directory}' was refused:").ConfigureAwait(false);
            foreach (string problem in ex.Problems)
            {
                await context.Error.WriteLineAsync("  - " + problem).ConfigureAwait(false);
            }

            return ExitCodes.Failure;
        }

        EndpointRegistry registry;
        try
        {
            registry = new EndpointRegistry(endpoints);
        }
        catch (ArgumentException ex)
        {
            DisposeAll(endpoints);
            await context.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Deployments created through the management API share the server's DICOM pool and limits.
        DeploymentModelFactory factory = (deployment, _) =>
            ModelLoader.Load(deployment.Model, loadOptions with { Batching = deployment.Batching.ToOptions() },
                new OrtSessionFactory(DeploymentSessionSettings.From(deployment)));
        WebApplication app;
        try
        {
            app = MedServeApplication.Build(options, registry, b => b.Services.AddSingleton(factory));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            registry.Dispose();
            await context.Error.WriteLineAsync($"error: cannot open the state database '{options.StatePath}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await using var running = app;
        var refused = MedServeApplication.Apply(app, declared.Endpoints, declared.Deployments);
        if (refused.Count > 0)
        {
            await context.Error.WriteLineAsync("error: the endpoint and deployment files of the config were refused:").ConfigureAwait(false);
            foreach (string problem in refused)
            {
                await context.Error.WriteLineAsync("  - " + problem).ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await context.Error.WriteLineAsync($"error: cannot listen on {options.Host}:{options.Port} ({ex.Message})").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var (primary, _) = MedServeApplication.Keys(app);
        await PrintBannerAsync(context.Output, address, registry, primary, MedServeApplication.AdminKey(app), demo).ConfigureAwait(false);
        context.OnServerStarted?.Invoke(address);

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await context.Output.WriteLineAsync("stopping …").ConfigureAwait(false);
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task PrintBannerAsync(TextWriter output, Uri address, EndpointRegistry registry, string key, string adminKey, bool demo)
    {
        string baseUrl = address.ToString().TrimEnd('/');
        await output.WriteLineAsync().ConfigureAwait(false);
        if (demo)
        {
            await output.WriteLineAsync("MedServe demo — SYNTHETIC weights: responses have the real shapes, not real predictions.").ConfigureAwait(false);
        }

        if (registry.DefaultName is string defaultName)
        {
            await output.WriteLineAsync($"Scoring URL:  {baseUrl}/score   (endpoint '{defaultName}')").ConfigureAwait(false);
        }

        foreach (var endpoint in registry.Seeds)
        {
            await output.WriteLineAsync($"Endpoint:     {baseUrl}/endpoints/{endpoint.Name}/score   ({endpoint.Model.Descriptor.Task})").ConfigureAwait(false);
        }

        foreach (string name in registry.Names.Where(n => registry.Seeds.All(s => s.Name != n)))
        {
            await output.WriteLineAsync($"Endpoint:     {baseUrl}/endpoints/{name}/score   (stored; its own keys: medserve endpoint get-credentials {name})").ConfigureAwait(false);
        }

        if (registry.Seeds.Count > 0)
        {
            await output.WriteLineAsync($"Key:          {key}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Admin key:    {adminKey}   (management API; export MEDSERVE_ADMIN_KEY for medserve endpoint/deployment/audit)").ConfigureAwait(false);
        await output.WriteLineAsync($"Health:       {baseUrl}/   ready: {baseUrl}/v2/health/ready   metrics: {baseUrl}/metrics").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        if (registry.Seeds.Count == 0)
        {
            await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
            return;
        }

        await output.WriteLineAsync("Try it:").ConfigureAwait(false);
        await output.WriteLineAsync($"  curl -s {baseUrl}/score -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\").ConfigureAwait(false);
        await output.WriteLineAsync("    -d '{\"input_data\": {\"columns\": [\"text\"], \"index\": [0], \"data\": [[\"x-ray chest anteroposterior Atelectasis.\"]]}}'").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
    }

    private static void DisposeAll(List<ServedEndpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            endpoint.Model.Dispose();
        }
    }
}
