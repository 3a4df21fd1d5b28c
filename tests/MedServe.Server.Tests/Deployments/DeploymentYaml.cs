using MedServe.Server.Configuration;

namespace MedServe.Server.Tests.Deployments;

/// <summary>Deployment YAML files in a temporary folder, read as <c>serve --config</c> reads them; deleted on dispose.</summary>
internal sealed class DeploymentYaml : IDisposable
{
    /// <summary>The keys every test deployment file starts with.</summary>
    public const string Head = "name: blue\nendpoint_name: ep1\nmodel: ./pkg\n";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-deployment-yaml-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes <see cref="Head"/> plus <paramref name="extra"/> to <c>d.yml</c> and reads it.</summary>
    public DeploymentSpec Read(string extra)
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "d.yml");
        File.WriteAllText(path, Head + extra);
        return AzureYamlReader.ReadDeployment(path);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
