using System.CommandLine;
using System.Text.Json;
using MedServe.Server.Configuration;
using MedServe.Server.Management;

namespace MedServe.Cli.Commands;

/// <summary>
/// <c>medserve endpoint create|update|show|list|delete|get-credentials|regenerate-keys</c>, in the
/// shape of <c>az ml online-endpoint</c>, against a running server's management API.
/// </summary>
internal static class EndpointCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("endpoint", "Manage a running server's endpoints (like az ml online-endpoint).");
        command.Add(WithFile(context, "create", "Create an endpoint from its YAML file; prints its keys once.", HttpMethod.Post, spec => "/management/endpoints"));
        command.Add(WithFile(context, "update", "Update an endpoint (auth mode, traffic, mirror traffic) from its YAML file.", HttpMethod.Put, spec => $"/management/endpoints/{Uri.EscapeDataString(spec.Name)}"));
        command.Add(ByName(context, "show", "Print an endpoint.", HttpMethod.Get, n => $"/management/endpoints/{n}"));
        command.Add(ByName(context, "delete", "Delete an endpoint and its deployments.", HttpMethod.Delete, n => $"/management/endpoints/{n}"));
        command.Add(ByName(context, "get-credentials", "Print an endpoint's primary and secondary keys.", HttpMethod.Post, n => $"/management/endpoints/{n}/list-keys"));

        var list = new Command("list", "List the endpoints.");
        var listClient = new ManagementClient();
        listClient.AddTo(list);
        list.SetAction((parse, ct) => listClient.SendAsync(context, parse, HttpMethod.Get, "/management/endpoints", null, ct));
        command.Add(list);

        var regenerate = new Command("regenerate-keys", "Replace one key of an endpoint; the other keeps working.");
        var name = new Argument<string>("name") { Description = "The endpoint name." };
        var keyType = new Option<string>("--key-type") { Description = "primary or secondary.", Required = true };
        keyType.AcceptOnlyFromAmong("primary", "secondary");
        regenerate.Add(name);
        regenerate.Add(keyType);
        var regenerateClient = new ManagementClient();
        regenerateClient.AddTo(regenerate);
        regenerate.SetAction((parse, ct) =>
        {
            string body = JsonSerializer.Serialize(new RegenerateKeysRequest { KeyType = parse.GetValue(keyType)! }, ManagementJsonContext.Default.RegenerateKeysRequest);
            return regenerateClient.SendAsync(context, parse, HttpMethod.Post, $"/management/endpoints/{Uri.EscapeDataString(parse.GetValue(name)!)}/regenerate-keys", body, ct);
        });
        command.Add(regenerate);
        return command;
    }

    private static Command WithFile(CliContext context, string verb, string description, HttpMethod method, Func<EndpointSpec, string> path)
    {
        var command = new Command(verb, description);
        var file = new Option<string>("--file", "-f") { Description = "The endpoint YAML file.", Required = true };
        command.Add(file);
        var client = new ManagementClient();
        client.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            EndpointSpec spec;
            try
            {
                spec = AzureYamlReader.ReadEndpoint(parse.GetValue(file)!);
            }
            catch (ConfigurationException ex)
            {
                await Problems.WriteAsync(context, ex).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            string body = JsonSerializer.Serialize(spec, ManagementJsonContext.Default.EndpointSpec);
            return await client.SendAsync(context, parse, method, path(spec), body, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ByName(CliContext context, string verb, string description, HttpMethod method, Func<string, string> path)
    {
        var command = new Command(verb, description);
        var name = new Argument<string?>("name") { Description = "The endpoint name (or give --file).", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f") { Description = "An endpoint YAML file naming the endpoint." };
        var nameOption = new Option<string?>("--name", "-n") { Description = "The endpoint name." };
        command.Add(name);
        command.Add(nameOption);
        command.Add(file);
        var client = new ManagementClient();
        client.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            string? target = parse.GetValue(name) ?? parse.GetValue(nameOption);
            if (target is null && parse.GetValue(file) is string filePath)
            {
                try
                {
                    target = AzureYamlReader.ReadEndpoint(filePath).Name;
                }
                catch (ConfigurationException ex)
                {
                    await Problems.WriteAsync(context, ex).ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }

            if (target is null)
            {
                await context.Error.WriteLineAsync($"error: endpoint {verb} needs the endpoint name (NAME, --name or --file)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return await client.SendAsync(context, parse, method, path(Uri.EscapeDataString(target)), method == HttpMethod.Post ? "{}" : null, ct).ConfigureAwait(false);
        });
        return command;
    }
}
