using Microsoft.AspNetCore.Builder;

namespace MedServe.Server.Tests;

/// <summary>What every in-process test server does when its tests are done.</summary>
internal static class TestApps
{
    /// <summary>Stops and disposes the app (when it was started) and deletes its package folder.</summary>
    public static async Task StopAsync(WebApplication? app, string root)
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
