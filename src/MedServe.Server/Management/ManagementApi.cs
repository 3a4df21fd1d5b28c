using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using MedServe.Models.Scoring;
using MedServe.Server.Configuration;
using MedServe.Server.Deployments;
using MedServe.Server.Hosting;
using MedServe.Server.Observability;
using MedServe.Server.Scoring;
using MedServe.Server.Security;
using MedServe.Server.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Management;

/// <summary>
/// The management API the <c>medserve endpoint|deployment|audit</c> commands call. Every route needs
/// the admin key; endpoint keys and tokens are refused here, so a scoring credential can never manage.
/// <code>
/// GET    /management/endpoints                          list
/// POST   /management/endpoints                          create (EndpointSpec) → 201 with the keys, once
/// GET    /management/endpoints/{name}                   show
/// PUT    /management/endpoints/{name}                   update (EndpointSpec)
/// DELETE /management/endpoints/{name}                   delete (and its deployments)
/// POST   /management/endpoints/{name}/list-keys         get-credentials
/// POST   /management/endpoints/{name}/regenerate-keys   {"key_type": "primary" | "secondary"}
/// GET    /management/endpoints/{name}/deployments       list
/// POST   /management/endpoints/{name}/deployments       create (DeploymentSpec; ?all_traffic=true, ?wait=true) → 201
/// GET    /management/endpoints/{name}/deployments/{d}   show (with provisioning_state and failure_reason)
/// PUT    /management/endpoints/{name}/deployments/{d}   update (?wait=true)
/// DELETE /management/endpoints/{name}/deployments/{d}   delete (refused while it has traffic)
/// GET    /management/audit?endpoint=NAME&amp;since=ISO-8601&amp;limit=N
/// </code>
/// </summary>
internal static class ManagementApi
{
    private static readonly EndpointSpec EndpointDefaults = new() { Name = "" };
    private static readonly DeploymentSpec DeploymentDefaults = new() { Name = "", EndpointName = "", Model = "" };

    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/management");
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var admin = http.RequestServices.GetRequiredService<AdminAuthenticator>();
            if (!admin.IsAuthorized(http.Request.Headers.Authorization, out string reason))
            {
                var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MedServe.Server.Management");
                Log.ManagementRefused(logger, RequestIds.Current(http), 401);
                await ScoringHandler.WriteErrorAsync(http, StatusCodes.Status401Unauthorized, reason).ConfigureAwait(false);
                return Results.Empty;
            }

            return await next(context).ConfigureAwait(false);
        });

        var json = ManagementJsonContext.Default;
        group.MapGet("/endpoints", (HttpContext c, DeploymentManager m) => WriteAsync(c, 200, m.ListEndpoints(), json.IReadOnlyListEndpointView));
        group.MapPost("/endpoints", async (HttpContext c, DeploymentManager m) =>
        {
            var spec = await ReadAsync(c, json.EndpointSpec, "endpoint", EndpointDefaults).ConfigureAwait(false);
            if (spec is not null)
            {
                await AnswerAsync(c, m.CreateEndpoint(spec), json.EndpointView).ConfigureAwait(false);
            }
        });
        group.MapGet("/endpoints/{name}", (HttpContext c, string name, DeploymentManager m) => AnswerAsync(c, m.ShowEndpoint(name), json.EndpointView));
        group.MapPut("/endpoints/{name}", async (HttpContext c, string name, DeploymentManager m) =>
        {
            var spec = await ReadAsync(c, json.EndpointSpec, "endpoint", EndpointDefaults).ConfigureAwait(false);
            if (spec is not null && Matches(c, spec.Name, name) is Task mismatch)
            {
                await mismatch.ConfigureAwait(false);
            }
            else if (spec is not null)
            {
                await AnswerAsync(c, m.UpdateEndpoint(spec), json.EndpointView).ConfigureAwait(false);
            }
        });
        group.MapDelete("/endpoints/{name}", (HttpContext c, string name, DeploymentManager m) =>
            AnswerDeletedAsync(c, m.DeleteEndpoint(name), $"endpoint '{name}' deleted"));
        group.MapPost("/endpoints/{name}/list-keys", (HttpContext c, string name, DeploymentManager m) => AnswerAsync(c, m.GetKeys(name), json.EndpointKeys));
        group.MapPost("/endpoints/{name}/regenerate-keys", async (HttpContext c, string name, DeploymentManager m) =>
        {
            var body = await ReadAsync(c, json.RegenerateKeysRequest, "regenerate-keys request").ConfigureAwait(false);
            if (body is not null)
            {
                await AnswerAsync(c, m.RegenerateKey(name, body.KeyType), json.EndpointKeys).ConfigureAwait(false);
            }
        });
        group.MapGet("/endpoints/{name}/deployments", (HttpContext c, string name, DeploymentManager m) =>
            AnswerAsync(c, m.ListDeployments(name), json.IReadOnlyListDeploymentView));
        group.MapPost("/endpoints/{name}/deployments", async (HttpContext c, string name, DeploymentManager m) =>
        {
            var spec = await ReadAsync(c, json.DeploymentSpec, "deployment", DeploymentDefaults).ConfigureAwait(false);
            if (spec is not null && Matches(c, spec.EndpointName, name) is Task mismatch)
            {
                await mismatch.ConfigureAwait(false);
            }
            else if (spec is not null)
            {
                bool all = string.Equals(c.Request.Query["all_traffic"], "true", StringComparison.OrdinalIgnoreCase);
                await AnswerAsync(c, await WaitIfAskedAsync(c, m, m.CreateDeployment(spec, all)).ConfigureAwait(false), json.DeploymentView).ConfigureAwait(false);
            }
        });
        group.MapGet("/endpoints/{name}/deployments/{deployment}", (HttpContext c, string name, string deployment, DeploymentManager m) =>
            AnswerAsync(c, m.ShowDeployment(name, deployment), json.DeploymentView));
        group.MapPut("/endpoints/{name}/deployments/{deployment}", async (HttpContext c, string name, string deployment, DeploymentManager m) =>
        {
            var spec = await ReadAsync(c, json.DeploymentSpec, "deployment", DeploymentDefaults).ConfigureAwait(false);
            if (spec is not null && (Matches(c, spec.EndpointName, name) ?? Matches(c, spec.Name, deployment)) is Task mismatch)
            {
                await mismatch.ConfigureAwait(false);
            }
            else if (spec is not null)
            {
                await AnswerAsync(c, await WaitIfAskedAsync(c, m, m.UpdateDeployment(spec)).ConfigureAwait(false), json.DeploymentView).ConfigureAwait(false);
            }
        });
        group.MapDelete("/endpoints/{name}/deployments/{deployment}", (HttpContext c, string name, string deployment, DeploymentManager m) =>
            AnswerDeletedAsync(c, m.DeleteDeployment(name, deployment), $"deployment '{deployment}' of endpoint '{name}' deleted"));
        group.MapGet("/audit", async (HttpContext c, StateStore store, AuditLog audit) =>
        {
            string? endpoint = c.Request.Query["endpoint"];
            string? sinceText = c.Request.Query["since"];
            string? limitText = c.Request.Query["limit"];
            DateTimeOffset? since = null;
            if (!string.IsNullOrEmpty(sinceText))
            {
                if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    await ScoringHandler.WriteErrorAsync(c, 400, $"since: '{ScoringFrameParser.Truncate(sinceText)}' is not an ISO 8601 time such as 2026-01-31T08:00:00Z").ConfigureAwait(false);
                    return;
                }

                since = parsed;
            }

            int limit = 1000;
            if (!string.IsNullOrEmpty(limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100_000))
            {
                await ScoringHandler.WriteErrorAsync(c, 400, "limit: must be a whole number from 1 to 100000").ConfigureAwait(false);
                return;
            }

            await audit.FlushAsync().ConfigureAwait(false);
            await WriteAsync(c, 200, store.QueryAudit(string.IsNullOrEmpty(endpoint) ? null : endpoint, since, limit), json.IReadOnlyListAuditRecord).ConfigureAwait(false);
        });
    }

    /// <summary><c>POST /endpoints/{name}/token</c>: an endpoint key of an aml_token endpoint buys a short-lived token.</summary>
    public static void MapTokenRoute(WebApplication app) =>
        app.MapPost("/endpoints/{name}/token", async (HttpContext c, string name, EndpointRegistry registry, EndpointAuthenticator auth, AmlTokenService tokens) =>
        {
            if (!registry.TryGet(name, out var endpoint))
            {
                bool known = auth.IsKnownCaller(c.Request.Headers.Authorization, out string why);
                await ScoringHandler.WriteErrorAsync(c, known ? 404 : 401, known ? $"no endpoint named '{ScoringFrameParser.Truncate(name)}'" : why).ConfigureAwait(false);
                return;
            }

            if (!KeyAuthenticator.TryReadBearer(c.Request.Headers.Authorization, out string credential, out string reason)
                || !EndpointAuthenticator.TryKey(endpoint, credential, out KeySlot slot))
            {
                await ScoringHandler.WriteErrorAsync(c, 401, reason.Length > 0 ? reason : "invalid key").ConfigureAwait(false);
                return;
            }

            if (endpoint.Spec.AuthMode != AuthModes.AmlToken)
            {
                await ScoringHandler.WriteErrorAsync(c, 400, $"endpoint '{endpoint.Name}' uses auth_mode {endpoint.Spec.AuthMode}; tokens are for aml_token endpoints").ConfigureAwait(false);
                return;
            }

            await WriteAsync(c, 200, tokens.Issue(endpoint.Name, slot), ManagementJsonContext.Default.AccessToken).ConfigureAwait(false);
        });

    /// <summary>With <c>?wait=true</c> the answer comes once the deployment has loaded and warmed up (or failed), as <c>az ml</c> waits.</summary>
    private static async Task<Outcome<DeploymentView>> WaitIfAskedAsync(HttpContext context, DeploymentManager manager, Outcome<DeploymentView> outcome)
    {
        if (outcome.Value is not { } view || !string.Equals(context.Request.Query["wait"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return outcome;
        }

        var shown = await manager.WaitAsync(view.Spec.EndpointName, view.Spec.Name, context.RequestAborted).ConfigureAwait(false);
        return shown.Error is null ? shown with { Status = outcome.Status } : shown;
    }

    private static Task? Matches(HttpContext context, string inBody, string inPath) =>
        string.Equals(inBody, inPath, StringComparison.Ordinal)
            ? null
            : ScoringHandler.WriteErrorAsync(context, 400, $"the body names '{ScoringFrameParser.Truncate(inBody)}' but the URL names '{ScoringFrameParser.Truncate(inPath)}'");

    /// <summary>
    /// Reads a body over the type's defaults: keys the caller left out keep their documented default
    /// (the source-generated reader would otherwise zero an absent init-only property); unknown keys are refused.
    /// </summary>
    private static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, string what, T? defaults = null)
        where T : class
    {
        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            if (node is not JsonObject provided)
            {
                await ScoringHandler.WriteErrorAsync(context, 400, $"the body must be a JSON object: a {what}").ConfigureAwait(false);
                return null;
            }

            if (defaults is not null)
            {
                var merged = JsonSerializer.SerializeToNode(defaults, type)!.AsObject();
                Overlay(merged, provided);
                provided = merged;
            }

            return provided.Deserialize(type);
        }
        catch (JsonException ex)
        {
            await ScoringHandler.WriteErrorAsync(context, 400, $"the body is not a valid {what}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static void Overlay(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            if (value is null && target.ContainsKey(key))
            {
                // null for a known key is "not given": the default stays (an unknown key is still refused).
                continue;
            }

            if (value is JsonObject nested && target[key] is JsonObject existing && existing.Count > 0)
            {
                Overlay(existing, nested);
            }
            else
            {
                source.Remove(key);
                target[key] = value;
            }
        }
    }

    private static Task AnswerAsync<T>(HttpContext context, Outcome<T> outcome, JsonTypeInfo<T> type) =>
        outcome.Error is null
            ? WriteAsync(context, outcome.Status, outcome.Value!, type)
            : ScoringHandler.WriteErrorAsync(context, outcome.Status, outcome.Error);

    private static Task AnswerDeletedAsync(HttpContext context, Outcome<string> outcome, string message) =>
        ScoringHandler.WriteErrorAsync(context, outcome.Status, outcome.Error ?? message);

    private static async Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted).ConfigureAwait(false);
    }
}
