using System.CommandLine;
using System.Net.Http.Headers;
using MedServe.Contracts;

namespace MedServe.Cli.Commands;

/// <summary>
/// <c>medserve invoke --url URL --key KEY --request-file FILE [--deployment-name NAME]</c>, like
/// <c>az ml online-endpoint invoke</c>: posts the file and prints the response body.
/// </summary>
internal static class InvokeCommand
{
    public static Command Create(CliContext context)
    {
        var url = new Option<string>("--url") { Description = "The scoring URL, e.g. http://127.0.0.1:5000/score.", Required = true };
        var key = new Option<string?>("--key") { Description = "The endpoint key (default: $MEDSERVE_KEY)." };
        var requestFile = new Option<string>("--request-file") { Description = "A JSON request body file.", Required = true };
        var deployment = new Option<string?>("--deployment-name") { Description = "Pin a deployment (azureml-model-deployment header)." };
        var timeout = new Option<int>("--timeout-seconds") { Description = "Give up after this many seconds (default 300).", DefaultValueFactory = _ => 300 };
        var command = new Command("invoke", "Send a scoring request and print the response.") { url, key, requestFile, deployment, timeout };
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            {
                await context.Error.WriteLineAsync($"error: --url must be an absolute http or https URL, e.g. http://127.0.0.1:5000/score").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            string path = parse.GetValue(requestFile)!;
            if (await RequestFile.ReadAsync(context, path, ct).ConfigureAwait(false) is not { } body)
            {
                return ExitCodes.Usage;
            }

            string? keyValue = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("MEDSERVE_KEY");
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))) };
            using var request = new HttpRequestMessage(HttpMethod.Post, target);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (!string.IsNullOrEmpty(keyValue))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keyValue);
            }

            string? pinned = parse.GetValue(deployment);
            if (!string.IsNullOrEmpty(pinned))
            {
                request.Headers.Add(WireHeaders.ModelDeployment, pinned);
            }

            try
            {
                using var response = await client.SendAsync(request, ct).ConfigureAwait(false);
                string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                await context.Output.WriteLineAsync(text).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    await context.Error.WriteLineAsync($"error: the endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                return ExitCodes.Success;
            }
            catch (HttpRequestException ex)
            {
                await context.Error.WriteLineAsync($"error: cannot reach {target}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                await context.Error.WriteLineAsync($"error: no answer within {parse.GetValue(timeout)} seconds").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
