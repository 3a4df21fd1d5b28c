using MedServe.Server.OpenApi;
using MedServe.Server.Scoring;
using MedServe.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Hosting;

/// <summary>
/// Builds the scoring server: Kestrel on the configured address, the hosted inference server's
/// routes, and MedServe's own endpoint routes.
/// <code>
/// GET  /                              → Healthy (liveness, no key)
/// GET  /swagger.json                  → OpenAPI of the default endpoint (key)
/// POST /score                         → default endpoint (key)
/// GET  /endpoints/{name}/swagger.json → OpenAPI of an endpoint (key)
/// POST /endpoints/{name}/score        → an endpoint (key)
/// </code>
/// </summary>
public static class MedServeApplication
{
    /// <summary>
    /// Builds the application. The registry is owned by the application from here on.
    /// <paramref name="configure"/> lets a host (or a test) adjust the builder, e.g. to use a test server.
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

        string primary = options.PrimaryKey ?? KeyAuthenticator.GenerateKey();
        string secondary = options.SecondaryKey ?? KeyAuthenticator.GenerateKey();
        builder.Services.AddSingleton(options with { PrimaryKey = primary, SecondaryKey = secondary });
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(new KeyAuthenticator(primary, secondary));
        builder.Services.AddSingleton<ScoringHandler>();
        builder.Services.AddSingleton(TimeProvider.System);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(registry.Dispose);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MedServe.Server");
        foreach (var endpoint in registry.Endpoints)
        {
            var d = endpoint.Model.Descriptor;
            Log.EndpointLoaded(logger, endpoint.Name, d.Task, d.Version, endpoint.DeploymentName);
            if (d.Synthetic)
            {
                Log.SyntheticModel(logger, endpoint.Name);
            }
        }

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

    private static void MapRoutes(WebApplication app)
    {
        app.Use((context, next) =>
        {
            RequestIds.Assign(context);
            return next(context);
        });
        app.MapGet("/", () => Results.Text("Healthy", "text/plain"));
        app.MapPost("/score", (HttpContext context, ScoringHandler handler) => handler.HandleAsync(context, null));
        app.MapPost("/endpoints/{name}/score", (HttpContext context, string name, ScoringHandler handler) => handler.HandleAsync(context, name));
        app.MapGet("/swagger.json", (HttpContext context, EndpointRegistry registry, KeyAuthenticator auth) =>
            SwaggerAsync(context, auth, registry.Default, "/score"));
        app.MapGet("/endpoints/{name}/swagger.json", (HttpContext context, string name, EndpointRegistry registry, KeyAuthenticator auth) =>
            SwaggerAsync(context, auth, registry.TryGet(name, out var endpoint) ? endpoint : null, name, $"/endpoints/{name}/score"));
    }

    private static Task SwaggerAsync(HttpContext context, KeyAuthenticator auth, ServedEndpoint endpoint, string path) =>
        SwaggerAsync(context, auth, endpoint, endpoint.Name, path);

    /// <summary>The key is checked before the endpoint is looked up, so endpoint names do not leak.</summary>
    private static async Task SwaggerAsync(HttpContext context, KeyAuthenticator auth, ServedEndpoint? endpoint, string name, string path)
    {
        if (!auth.IsAuthorized(context.Request.Headers.Authorization, out string reason))
        {
            await ScoringHandler.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, reason).ConfigureAwait(false);
            return;
        }

        if (endpoint is null)
        {
            await ScoringHandler.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"no endpoint named '{Models.Scoring.ScoringFrameParser.Truncate(name)}'").ConfigureAwait(false);
            return;
        }

        byte[] document = ScoringOpenApiDocument.Write(endpoint, path);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(document, context.RequestAborted).ConfigureAwait(false);
    }

    private static string FormatHost(string host) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
