using System.CommandLine;
using System.Text.Json;
using MedServe.Server.Configuration;
using MedServe.Server.Hosting;

namespace MedServe.Cli.Commands;

/// <summary><c>medserve serve [PACKAGE_DIR…] [--config FILE] [--state FILE] [--host H] [--port P] [--primary-key K] [--secondary-key K] [--admin-key K] …</c>.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var packages = new Argument<string[]>("packages") { Description = "Model package folders; the first is the default endpoint at /score.", Arity = ArgumentArity.ZeroOrMore };
        var config = new Option<string?>("--config") { Description = "A JSON server config file (see docs/cli.md)." };
        var options = new ServerOptionSet();
        var command = new Command("serve", "Serve one or more model packages over the hosted endpoints' protocol.") { packages, config };
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            ServerConfigFile? file = null;
            string? configPath = parse.GetValue(config);
            if (configPath is not null)
            {
                try
                {
                    file = ServerConfigFile.Read(configPath);
                }
                catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
                {
                    await context.Error.WriteLineAsync($"error: cannot read config file '{configPath}': {ex.Message}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }

            var serverOptions = options.Resolve(parse, file);
            var directories = new List<string>(file?.Packages ?? []);
            directories.AddRange(parse.GetValue(packages) ?? []);
            var endpoints = new List<EndpointSpec>();
            var deployments = new List<DeploymentSpec>();
            try
            {
                endpoints.AddRange((file?.Endpoints ?? []).Select(AzureYamlReader.ReadEndpoint));
                deployments.AddRange((file?.Deployments ?? []).Select(AzureYamlReader.ReadDeployment));
            }
            catch (ConfigurationException ex)
            {
                await Problems.WriteAsync(context, ex).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var declared = new DeclaredState(endpoints, deployments);
            return await ServerRunner.RunAsync(context, serverOptions, directories, demo: false, ct, declared).ConfigureAwait(false);
        });
        return command;
    }
}

/// <summary>The server options shared by <c>serve</c> and <c>demo</c>.</summary>
internal sealed class ServerOptionSet
{
    private readonly Option<string?> _host = new("--host") { Description = "Address to listen on (default 127.0.0.1)." };
    private readonly Option<int?> _port = new("--port") { Description = "Port to listen on (default 5000; 0 picks a free one)." };
    private readonly Option<string?> _primaryKey = new("--primary-key") { Description = "Primary key (default: $MEDSERVE_PRIMARY_KEY, else generated)." };
    private readonly Option<string?> _secondaryKey = new("--secondary-key") { Description = "Secondary key (default: $MEDSERVE_SECONDARY_KEY, else generated)." };
    private readonly Option<long?> _maxBody = new("--max-body-bytes") { Description = "Request body limit in bytes (default 100000000)." };
    private readonly Option<long?> _maxPixels = new("--max-image-pixels") { Description = "Pixel limit per image (default 178956970)." };
    private readonly Option<int?> _maxRows = new("--max-rows") { Description = "Rows-per-request limit (default: each package's)." };
    private readonly Option<int?> _dicomWorkers = new("--dicom-workers") { Description = "DICOM decoder worker processes (default: the number of processors)." };
    private readonly Option<double?> _dicomTimeout = new("--dicom-timeout-seconds") { Description = "Time limit of one DICOM decode (default 10)." };
    private readonly Option<string?> _adminKey = new("--admin-key") { Description = "Admin key of the management API (default: $MEDSERVE_ADMIN_KEY, else generated)." };
    private readonly Option<string?> _state = new("--state") { Description = "SQLite state database file (default: in memory, lost at exit)." };
    private readonly Option<string?> _defaultEndpoint = new("--default-endpoint") { Description = "The endpoint also served at /score (default: the first package's)." };
    private readonly Option<string?> _aadIssuer = new("--aad-issuer") { Description = "OpenID issuer accepted by aad_token endpoints." };
    private readonly Option<string?> _aadAudience = new("--aad-audience") { Description = "Audience aad_token tokens must carry." };
    private readonly Option<string?> _aadKeys = new("--aad-signing-keys") { Description = "JWKS file with the issuer's signing keys." };
    private readonly Option<int?> _tokenMinutes = new("--aml-token-minutes") { Description = "Lifetime of aml tokens in minutes (default 60)." };
    private readonly Option<string?> _otlp = new("--otlp-endpoint") { Description = "OTLP collector for traces, e.g. http://127.0.0.1:4317 (default: none)." };

    public void AddTo(Command command)
    {
        command.Add(_host);
        command.Add(_port);
        command.Add(_primaryKey);
        command.Add(_secondaryKey);
        command.Add(_maxBody);
        command.Add(_maxPixels);
        command.Add(_maxRows);
        command.Add(_dicomWorkers);
        command.Add(_dicomTimeout);
        command.Add(_adminKey);
        command.Add(_state);
        command.Add(_defaultEndpoint);
        command.Add(_aadIssuer);
        command.Add(_aadAudience);
        command.Add(_aadKeys);
        command.Add(_tokenMinutes);
        command.Add(_otlp);
    }

    public ServerOptions Resolve(ParseResult parse, ServerConfigFile? file)
    {
        var defaults = new ServerOptions();
        return new ServerOptions
        {
            Host = parse.GetValue(_host) ?? file?.Host ?? defaults.Host,
            Port = parse.GetValue(_port) ?? file?.Port ?? defaults.Port,
            PrimaryKey = parse.GetValue(_primaryKey) ?? file?.PrimaryKey ?? NonEmpty(Environment.GetEnvironmentVariable("MEDSERVE_PRIMARY_KEY")),
            SecondaryKey = parse.GetValue(_secondaryKey) ?? file?.SecondaryKey ?? NonEmpty(Environment.GetEnvironmentVariable("MEDSERVE_SECONDARY_KEY")),
            MaxRequestBodyBytes = parse.GetValue(_maxBody) ?? file?.MaxRequestBodyBytes ?? defaults.MaxRequestBodyBytes,
            MaxImagePixels = parse.GetValue(_maxPixels) ?? file?.MaxImagePixels ?? defaults.MaxImagePixels,
            MaxRowsPerRequest = parse.GetValue(_maxRows) ?? file?.MaxRowsPerRequest,
            DicomWorkers = parse.GetValue(_dicomWorkers) ?? file?.DicomWorkers ?? defaults.DicomWorkers,
            DicomTimeoutSeconds = parse.GetValue(_dicomTimeout) ?? file?.DicomTimeoutSeconds ?? defaults.DicomTimeoutSeconds,
            AdminKey = parse.GetValue(_adminKey) ?? file?.AdminKey ?? NonEmpty(Environment.GetEnvironmentVariable("MEDSERVE_ADMIN_KEY")),
            StatePath = parse.GetValue(_state) ?? file?.State,
            DefaultEndpoint = parse.GetValue(_defaultEndpoint) ?? file?.DefaultEndpoint,
            AadIssuer = parse.GetValue(_aadIssuer) ?? file?.AadIssuer,
            AadAudience = parse.GetValue(_aadAudience) ?? file?.AadAudience,
            AadSigningKeysFile = parse.GetValue(_aadKeys) ?? file?.AadSigningKeys,
            AmlTokenLifetime = TimeSpan.FromMinutes(parse.GetValue(_tokenMinutes) ?? file?.AmlTokenMinutes ?? 60),
            OtlpEndpoint = (parse.GetValue(_otlp) ?? file?.OtlpEndpoint) is string otlp ? new Uri(otlp, UriKind.RelativeOrAbsolute) : null,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
