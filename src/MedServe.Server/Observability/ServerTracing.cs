using System.Diagnostics;

namespace MedServe.Server.Observability;

/// <summary>The activity source of scoring requests (exported by OTLP when configured). Tags hold names and codes only.</summary>
internal static class ServerTracing
{
    public const string SourceName = "MedServe.Server";

    public static readonly ActivitySource Source = new(SourceName);
}
