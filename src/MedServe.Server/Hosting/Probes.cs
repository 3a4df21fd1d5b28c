using System.Text.Json;
using MedServe.Server.Deployments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MedServe.Server.Hosting;

/// <summary>
/// Health routes (no key, as probes have none):
/// <code>
/// GET /                              Healthy (liveness, as the hosted inference server)
/// GET /v2/health/live                200 {"live": true}
/// GET /v2/health/ready               200 {"ready": true} once every deployment has loaded and warmed up (or failed), else 503
/// GET /v2/models/{deployment}/ready  200 {"name", "ready": true} once every deployment of that name is loaded and warmed up, else 503; 404 unknown
/// </code>
/// A failed deployment does not hold the server back (the others serve), but its own model route says 503.
/// </summary>
internal static class Probes
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => Results.Text("Healthy", "text/plain"));
        app.MapGet("/v2/health/live", (HttpContext c) => WriteAsync(c, 200, w => w.WriteBoolean("live", true)));
        app.MapGet("/v2/health/ready", (HttpContext c, EndpointRegistry registry) =>
        {
            bool ready = registry.All.SelectMany(e => e.Deployments.Values)
                .All(d => d.IsSettled);
            return WriteAsync(c, ready ? 200 : 503, w => w.WriteBoolean("ready", ready));
        });
        app.MapGet("/v2/models/{deployment}/ready", (HttpContext c, string deployment, EndpointRegistry registry) =>
        {
            var matches = registry.All.SelectMany(e => e.Deployments.Values).Where(d => d.Spec.Name == deployment).ToList();
            if (matches.Count == 0)
            {
                return Scoring.ScoringHandler.WriteErrorAsync(c, 404, $"no deployment named '{Models.Scoring.ScoringFrameParser.Truncate(deployment)}'");
            }

            bool ready = matches.All(d => d.State == DeploymentState.Ready);
            return WriteAsync(c, ready ? 200 : 503, w =>
            {
                w.WriteString("name", deployment);
                w.WriteBoolean("ready", ready);
            });
        });
    }

    private static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
