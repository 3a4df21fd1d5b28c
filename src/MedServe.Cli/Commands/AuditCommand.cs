using System.CommandLine;
using System.Globalization;

namespace MedServe.Cli.Commands;

/// <summary><c>medserve audit [--endpoint NAME] [--since T] [--limit N]</c>: the audit records of a running server, as JSON.</summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "Only this endpoint's records." };
        var since = new Option<string?>("--since") { Description = "Only records at or after this ISO 8601 time, e.g. 2026-01-31T08:00:00Z." };
        var limit = new Option<int?>("--limit") { Description = "At most this many records (default 1000)." };
        var command = new Command("audit", "List the audit records of scoring requests (no request content; SHA-256 of bodies).") { endpoint, since, limit };
        var client = new ManagementClient();
        client.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var query = new List<string>();
            if (parse.GetValue(endpoint) is string name)
            {
                query.Add("endpoint=" + Uri.EscapeDataString(name));
            }

            if (parse.GetValue(since) is string time)
            {
                if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                {
                    await context.Error.WriteLineAsync($"error: --since '{time}' is not an ISO 8601 time such as 2026-01-31T08:00:00Z").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                query.Add("since=" + Uri.EscapeDataString(time));
            }

            if (parse.GetValue(limit) is int n)
            {
                query.Add("limit=" + n.ToString(CultureInfo.InvariantCulture));
            }

            string path = "/management/audit" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            return await client.SendAsync(context, parse, HttpMethod.Get, path, null, ct).ConfigureAwait(false);
        });
        return command;
    }
}
