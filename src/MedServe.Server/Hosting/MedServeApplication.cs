using MedServe.Inference.Runtime;
using MedServe.Models;
using MedServe.Models.Buffers;
using MedServe.Server.Configuration;
using MedServe.Server.Deployments;
using MedServe.Server.Management;
using MedServe.Server.Observability;
using MedServe.Server.OpenApi;
using MedServe.Server.Scoring;
using MedServe.Server.Security;
using MedServe.Server.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MedServe.Server.Hosting;

/// <summary>
/// Builds the scoring server: Kestrel on the configured address, the hosted inference server's
/// routes, MedServe's endpoint routes, probes, metrics and the management API.
/// <code>
/// GET  /, /v2/health/live, /v2/health/ready, /v2/models/{deployment}/ready   probes (no key)
/// GET  /metrics                        Prometheus (no key; labels are names and codes only)
/// GET  /swagger.json                   OpenAPI of the default endpoint (its credential)
/// POST /score                          the default endpoint (its credential)
/// GET  /endpoints/{name}/swagger.json  OpenAPI of an endpoint
/// POST /endpoints/{name}/score         an endpoint
/// POST /endpoints/{name}/token         an endpoint key → aml token
/// *    /management/…                   the management API (admin key)
/// </code>
/// </summary>
public static class MedServeApplication
{
    /// <summary>
    /// Builds the application. The registry is owned by the application from here on.
    /// <paramref name="configure"/> lets a host (or a test) adjust the builder, e.g. to use a test server,
    /// a <see cref="TimeProvider"/> or a <see cref="DeploymentModelFactory"/>.
    /// </summary>
    public static WebApplication Build(ServerOptions options, EndpointRegistry registry, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid server options: " + string.Join("; ", problems), nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(MedServeApplication).Assembly.GetName().Name });
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The scoring handler enforces the limit itself and answers 413 with a JSON body;
            // Kestrel's own limit is one byte above so large bodies are still cut off early.
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes + 1;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var resolved = options with
        {
            PrimaryKey = options.PrimaryKey ?? KeyAuthenticator.GenerateKey(),
            SecondaryKey = options.SecondaryKey ?? KeyAuthenticator.GenerateKey(),
            AdminKey = options.AdminKey ?? KeyAuthenticator.GenerateKey(),
        };
        var services = builder.Services;
        services.AddSingleton(resolved);
        services.AddSingleton(registry);
        services.AddSingleton(new KeyAuthenticator(resolved.PrimaryKey!, resolved.SecondaryKey!));
        services.AddSingleton(new AdminAuthenticator(resolved.AdminKey!));
        services.AddSingleton(sp => StateStore.Open(resolved.StatePath, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AmlTokenService(sp.GetRequiredService<StateStore>().Secret, sp.GetRequiredService<TimeProvider>(), resolved.AmlTokenLifetime));
        services.AddSingleton<AadTokenValidator>();
        services.AddSingleton<EndpointAuthenticator>();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<DeploymentManager>();
        services.AddSingleton<ScoringHandler>();
        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServerMetrics.MeterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        if (resolved.OtlpEndpoint is Uri otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(ServerTracing.SourceName).AddOtlpExporter(o => o.Endpoint = otlp));
        }

        configure?.Invoke(builder);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(RequestBufferPool.Shared);
        services.TryAddSingleton<DeploymentModelFactory>(_ => DefaultFactory(resolved));

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MedServe.Server");
        foreach (var endpoint in registry.Seeds)
        {
            var d = endpoint.Model.Descriptor;
            Log.EndpointLoaded(logger, endpoint.Name, d.Task, d.Version, endpoint.DeploymentName);
            if (d.Synthetic)
            {
                Log.SyntheticModel(logger, endpoint.Name);
            }
        }

        var store = app.Services.GetRequiredService<StateStore>();
        var audit = app.Services.GetRequiredService<AuditLog>();
        app.Services.GetRequiredService<DeploymentManager>().Start();
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            audit.Drain(TimeSpan.FromSeconds(30));
            registry.Dispose();
            store.Dispose();
        });

        MapRoutes(app);
        return app;
    }

    /// <summary>The keys the application was built with (generated ones included).</summary>
    public static (string Primary, string Secondary) Keys(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<ServerOptions>();
        return (options.PrimaryKey!, options.SecondaryKey!);
    }

    /// <summary>The admin key of the management API (the generated one when none was given).</summary>
    public static string AdminKey(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<ServerOptions>().AdminKey!;
    }

    /// <summary>
    /// Applies endpoint and deployment specs (read from Azure YAML files) to a built application, as the
    /// management API would: creates what is missing, updates what changed, then sets each endpoint's
    /// traffic. Deployments load in the background. Returns the problems, each naming the endpoint or
    /// deployment; empty when everything applied.
    /// </summary>
    public static IReadOnlyList<string> Apply(WebApplication app, IReadOnlyList<EndpointSpec> endpoints, IReadOnlyList<DeploymentSpec> deployments)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(deployments);
        return app.Services.GetRequiredService<DeploymentManager>().Apply(endpoints, deployments);
    }

    /// <summary>The running server's endpoints, deployments and their state.</summary>
    public static EndpointRegistry Registry(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<EndpointRegistry>();
    }

    private static DeploymentModelFactory DefaultFactory(ServerOptions options) => (deployment, _) =>
        ModelLoader.Load(deployment.Model,
            new ModelLoadOptions { MaxImagePixels = options.MaxImagePixels, MaxRows = options.MaxRowsPerRequest, Batching = deployment.Batching.ToOptions() },
            new OrtSessionFactory(DeploymentSessionSettings.From(deployment)));

    private static void MapRoutes(WebApplication app)
    {
        app.Use((context, next) =>
        {
            RequestIds.Assign(context);
            return next(context);
        });
        Probes.Map(app);
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapPost("/score", (HttpContext context, ScoringHandler handler) => handler.HandleAsync(context, null));
        app.MapPost("/endpoints/{name}/score", (HttpContext context, string name, ScoringHandler handler) => handler.HandleAsync(context, name));
        ManagementApi.MapTokenRoute(app);
        ManagementApi.Map(app);
        app.MapGet("/swagger.json", (HttpContext context, EndpointRegistry registry, EndpointAuthenticator auth) =>
            SwaggerAsync(context, auth, registry, registry.DefaultName, "/score"));
        app.MapGet("/endpoints/{name}/swagger.json", (HttpContext context, string name, EndpointRegistry registry, EndpointAuthenticator auth) =>
            SwaggerAsync(context, auth, registry, name, $"/endpoints/{name}/score"));
    }

    /// <summary>The credential is checked before the endpoint is revealed, so endpoint names do not leak.</summary>
    private static async Task SwaggerAsync(HttpContext context, EndpointAuthenticator auth, EndpointRegistry registry, string? name, string path)
    {
        string header = context.Request.Headers.Authorization.ToString();
        if (name is null || !registry.TryGet(name, out var endpoint))
        {
            bool known = auth.IsKnownCaller(header, out string why);
            await ScoringHandler.WriteErrorAsync(context, known ? StatusCodes.Status404NotFound : StatusCodes.Status401Unauthorized,
                known ? $"no endpoint named '{Models.Scoring.ScoringFrameParser.Truncate(name ?? "(default)")}'" : why).ConfigureAwait(false);
            return;
        }

        var result = await auth.AuthenticateAsync(endpoint, header).ConfigureAwait(false);
        if (!result.Ok)
        {
            await ScoringHandler.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, result.Reason).ConfigureAwait(false);
            return;
        }

        // Any loaded deployment describes the endpoint's schema; prefer one that takes traffic.
        var deployment = endpoint.Deployments.Values.Select(d => d.Current)
            .Where(d => d.Descriptor is not null && !d.IsRetired)
            .OrderByDescending(d => endpoint.Spec.Traffic.GetValueOrDefault(d.Spec.Name))
            .FirstOrDefault();
        if (deployment is null)
        {
            await ScoringHandler.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"endpoint '{endpoint.Name}' has no loaded deployment yet").ConfigureAwait(false);
            return;
        }

        byte[] document = ScoringOpenApiDocument.Write(new ServedEndpoint(endpoint.Name, deployment.Spec.Name, deployment.Model(0)), path);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(document, context.RequestAborted).ConfigureAwait(false);
    }

    private static string FormatHost(string host) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
