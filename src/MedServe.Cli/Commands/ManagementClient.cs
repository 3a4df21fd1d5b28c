using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;

namespace MedServe.Cli.Commands;

/// <summary>
/// Calls a running server's management API with the admin key, for the <c>endpoint</c>,
/// <c>deployment</c> and <c>audit</c> commands. Prints the answer's JSON; an error answer is
/// <c>error: the server answered CODE: MESSAGE</c> and exit code 1.
/// </summary>
internal sealed class ManagementClient
{
    private readonly Option<string?> _url = new("--url") { Description = "The server's base URL (default: $MEDSERVE_URL, else http://127.0.0.1:5000)." };
    private readonly Option<string?> _adminKey = new("--admin-key") { Description = "The server's admin key (default: $MEDSERVE_ADMIN_KEY)." };

    public void AddTo(Command command)
    {
        command.Add(_url);
        command.Add(_adminKey);
    }

    /// <summary>Sends one request and writes the answer; returns the exit code.</summary>
    public async Task<int> SendAsync(CliContext context, ParseResult parse, HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        string baseUrl = parse.GetValue(_url) ?? NonEmpty(Environment.GetEnvironmentVariable("MEDSERVE_URL")) ?? "http://127.0.0.1:5000";
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var root) || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps))
        {
            await context.Error.WriteLineAsync("error: --url must be an absolute http or https URL, e.g. http://127.0.0.1:5000").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        string? key = parse.GetValue(_adminKey) ?? NonEmpty(Environment.GetEnvironmentVariable("MEDSERVE_ADMIN_KEY"));
        if (key is null)
        {
            await context.Error.WriteLineAsync("error: the management API needs the admin key: --admin-key KEY or $MEDSERVE_ADMIN_KEY (the server prints it at start)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        using var request = new HttpRequestMessage(method, new Uri(root, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                await context.Error.WriteLineAsync($"error: the server answered {(int)response.StatusCode}: {MessageOf(text)}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await context.Output.WriteLineAsync(text).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (HttpRequestException ex)
        {
            await context.Error.WriteLineAsync($"error: cannot reach {root}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static string MessageOf(string body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? body : body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
