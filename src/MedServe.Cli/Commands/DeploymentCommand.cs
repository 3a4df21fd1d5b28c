using System.CommandLine;
using System.Text.Json;
using MedServe.Server.Configuration;
using MedServe.Server.Management;

namespace MedServe.Cli.Commands;

/// <summary>
/// <c>medserve deployment create|update|show|list|delete</c>, in the shape of
/// <c>az ml online-deployment</c>, against a running server's management API.
/// </summary>
internal static class DeploymentCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("deployment", "Manage a running server's deployments (like az ml online-deployment).");

        var create = new Command("create", "Create a deployment from its YAML file; it loads in the background ('deployment show' tells when it is ready).");
        var allTraffic = new Option<bool>("--all-traffic") { Description = "Give the new deployment all of its endpoint's traffic." };
        var noWait = new Option<bool>("--no-wait") { Description = "Answer at once instead of when the deployment is ready (or failed)." };
        create.Add(allTraffic);
        create.Add(noWait);
        WithFile(context, create, HttpMethod.Post,
            (spec, parse) => $"/management/endpoints/{Uri.EscapeDataString(spec.EndpointName)}/deployments?wait={(parse.GetValue(noWait) ? "false" : "true")}{(parse.GetValue(allTraffic) ? "&all_traffic=true" : "")}");
        command.Add(create);

        var update = new Command("update", "Update a deployment from its YAML file; the old one serves until the new one has loaded.");
        var updateNoWait = new Option<bool>("--no-wait") { Description = "Answer at once instead of when the new deployment is ready (or failed)." };
        update.Add(updateNoWait);
        WithFile(context, update, HttpMethod.Put,
            (spec, parse) => $"/management/endpoints/{Uri.EscapeDataString(spec.EndpointName)}/deployments/{Uri.EscapeDataString(spec.Name)}?wait={(parse.GetValue(updateNoWait) ? "false" : "true")}");
        command.Add(update);

        command.Add(ByName(context, "show", "Print a deployment, with provisioning_state and failure_reason.", HttpMethod.Get));
        command.Add(ByName(context, "delete", "Delete a deployment (refused while it has traffic).", HttpMethod.Delete));

        var list = new Command("list", "List an endpoint's deployments.");
        var endpoint = new Option<string>("--endpoint-name", "-e") { Description = "The endpoint.", Required = true };
        list.Add(endpoint);
        var listClient = new ManagementClient();
        listClient.AddTo(list);
        list.SetAction((parse, ct) =>
            listClient.SendAsync(context, parse, HttpMethod.Get, $"/management/endpoints/{Uri.EscapeDataString(parse.GetValue(endpoint)!)}/deployments", null, ct));
        command.Add(list);
        return command;
    }

    private static void WithFile(CliContext context, Command command, HttpMethod method, Func<DeploymentSpec, ParseResult, string> path)
    {
        var file = new Option<string>("--file", "-f") { Description = "The deployment YAML file.", Required = true };
        command.Add(file);
        var client = new ManagementClient();
        client.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            DeploymentSpec spec;
            try
            {
                spec = AzureYamlReader.ReadDeployment(parse.GetValue(file)!);
            }
            catch (ConfigurationException ex)
            {
                await Problems.WriteAsync(context, ex).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            string body = JsonSerializer.Serialize(spec, ManagementJsonContext.Default.DeploymentSpec);
            return await client.SendAsync(context, parse, method, path(spec, parse), body, ct).ConfigureAwait(false);
        });
    }

    private static Command ByName(CliContext context, string verb, string description, HttpMethod method)
    {
        var command = new Command(verb, description);
        var name = new Argument<string?>("name") { Description = "The deployment name (or give --file).", Arity = ArgumentArity.ZeroOrOne };
        var nameOption = new Option<string?>("--name", "-n") { Description = "The deployment name." };
        var endpoint = new Option<string?>("--endpoint-name", "-e") { Description = "The endpoint." };
        var file = new Option<string?>("--file", "-f") { Description = "A deployment YAML file naming the deployment and its endpoint." };
        command.Add(name);
        command.Add(nameOption);
        command.Add(endpoint);
        command.Add(file);
        var client = new ManagementClient();
        client.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            string? target = parse.GetValue(name) ?? parse.GetValue(nameOption);
            string? endpointName = parse.GetValue(endpoint);
            if (parse.GetValue(file) is string path)
            {
                try
                {
                    var spec = AzureYamlReader.ReadDeployment(path);
                    target ??= spec.Name;
                    endpointName ??= spec.EndpointName;
                }
                catch (ConfigurationException ex)
                {
                    await Problems.WriteAsync(context, ex).ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }

            if (target is null || endpointName is null)
            {
                await context.Error.WriteLineAsync($"error: deployment {verb} needs the deployment and endpoint names (NAME --endpoint-name E, or --file)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return await client.SendAsync(context, parse, method,
                $"/management/endpoints/{Uri.EscapeDataString(endpointName)}/deployments/{Uri.EscapeDataString(target)}", null, ct).ConfigureAwait(false);
        });
        return command;
    }
}
