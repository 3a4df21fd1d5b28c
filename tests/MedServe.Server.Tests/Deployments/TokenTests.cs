using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using MedServe.Server.Configuration;
using MedServe.Server.Hosting;
using MedServe.Server.Management;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedServe.Server.Tests.Deployments;

/// <summary>aml_token (key → short-lived token, expiry by the server's clock) and aad_token (JWTs of a test issuer with its own keys).</summary>
public sealed class TokenTests : IDisposable
{
    private const string Issuer = "https://login.example.test/tenant-1/v2.0";
    private const string Audience = "api://medserve-test";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-tokens-" + Guid.NewGuid().ToString("N"));
    private readonly RSA _issuerKey = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);

    public void Dispose()
    {
        _issuerKey.Dispose();
        _otherKey.Dispose();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static async Task<EndpointKeys> TokenEndpointAsync(DeploymentHost host, string name, string authMode)
    {
        var keys = await host.CreateEndpointAsync(new EndpointSpec { Name = name, AuthMode = authMode });
        await host.CreateDeploymentAsync(DeploymentHost.Deployment(name, "blue"), allTraffic: true);
        return keys;
    }

    [Fact]
    public async Task AmlToken_ExchangedForKey_ScoresUntilExpiry()
    {
        await using var host = await DeploymentHost.StartAsync(new ServerOptions { AmlTokenLifetime = TimeSpan.FromMinutes(10) });
        var keys = await TokenEndpointAsync(host, "tokened", AuthModes.AmlToken);
        using var withKey = host.Client(keys.SecondaryKey);
        var refusedKey = await withKey.PostAsync("/endpoints/tokened/score", DeploymentHost.Text(), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedKey.StatusCode);
        Assert.Equal("endpoint 'tokened' uses auth_mode aml_token: exchange a key for a token at POST /endpoints/tokened/token and send the token",
            await DeploymentHost.MessageAsync(refusedKey));

        var exchange = await withKey.PostAsync("/endpoints/tokened/token", null, DeploymentHost.Token);
        string json = await exchange.Content.ReadAsStringAsync(DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal(["accessToken", "tokenType", "expiryTimeUtc", "refreshAfterTimeUtc"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        }

        var token = JsonSerializer.Deserialize(json, ManagementJsonContext.Default.AccessToken)!;
        long now = host.Time.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(now + 600, token.ExpiryTimeUtc);
        Assert.Equal(now + 300, token.RefreshAfterTimeUtc);
        Assert.DoesNotContain(keys.SecondaryKey, token.Token, StringComparison.Ordinal);

        using var withToken = host.Client(token.Token);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await withToken.PostAsync("/endpoints/tokened/score", DeploymentHost.Text(), DeploymentHost.Token)));
        host.Time.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await withToken.PostAsync("/endpoints/tokened/score", DeploymentHost.Text(), DeploymentHost.Token)));
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = await withToken.PostAsync("/endpoints/tokened/score", DeploymentHost.Text(), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("the token has expired; get a new one from POST /endpoints/{name}/token", await DeploymentHost.MessageAsync(expired));

        string tampered = token.Token[..^2] + (token.Token[^2] == 'A' ? "B" : "A") + token.Token[^1];
        using var forged = host.Client(tampered);
        Assert.Equal("invalid token", await DeploymentHost.MessageAsync(await forged.PostAsync("/endpoints/tokened/score", DeploymentHost.Text(), DeploymentHost.Token)));
    }

    [Fact]
    public async Task AmlToken_OfAnotherEndpointOrWithoutKey_IsRefused()
    {
        await using var host = await DeploymentHost.StartAsync();
        var first = await TokenEndpointAsync(host, "first", AuthModes.AmlToken);
        await TokenEndpointAsync(host, "second", AuthModes.AmlToken);
        var keyed = await TokenEndpointAsync(host, "keyed", AuthModes.Key);
        using var client = host.Client(first.PrimaryKey);
        var token = JsonSerializer.Deserialize(await (await client.PostAsync("/endpoints/first/token", null, DeploymentHost.Token)).Content.ReadAsStringAsync(DeploymentHost.Token),
            ManagementJsonContext.Default.AccessToken)!;
        using var withToken = host.Client(token.Token);
        var other = await withToken.PostAsync("/endpoints/second/score", DeploymentHost.Text(), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.Equal("the token was issued for another endpoint", await DeploymentHost.MessageAsync(other));

        var noKey = await host.Client().PostAsync("/endpoints/first/token", null, DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        var wrongKey = await withToken.PostAsync("/endpoints/first/token", null, DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        using var keyClient = host.Client(keyed.PrimaryKey);
        var keyMode = await keyClient.PostAsync("/endpoints/keyed/token", null, DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.BadRequest, keyMode.StatusCode);
        Assert.Equal("endpoint 'keyed' uses auth_mode key; tokens are for aml_token endpoints", await DeploymentHost.MessageAsync(keyMode));
        Assert.Equal(HttpStatusCode.Unauthorized, (await withToken.GetAsync("/management/endpoints", DeploymentHost.Token)).StatusCode);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await withToken.PostAsync("/endpoints/first/score", DeploymentHost.Text(), DeploymentHost.Token)));
    }

    [Fact]
    public async Task AadToken_TestIssuer_ValidScoresAndEveryWrongPartIsRefused()
    {
        Directory.CreateDirectory(_dir);
        string jwks = Path.Combine(_dir, "jwks.json");
        var signing = new RsaSecurityKey(_issuerKey) { KeyId = "test-key-1" };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_issuerKey.ExportParameters(false)) { KeyId = "test-key-1" });
        await File.WriteAllTextAsync(jwks, JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = new[] { new Dictionary<string, string> { ["kty"] = jwk.Kty, ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E, ["use"] = "sig" } } }),
            DeploymentHost.Token);
        await using var host = await DeploymentHost.StartAsync(new ServerOptions { AadIssuer = Issuer, AadAudience = Audience, AadSigningKeysFile = jwks });
        await TokenEndpointAsync(host, "entra", AuthModes.AadToken);
        var now = host.Time.GetUtcNow().UtcDateTime;

        string Token(SecurityKey key, string issuer = Issuer, string audience = Audience, int minutes = 60) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(minutes),
            Claims = new Dictionary<string, object> { ["sub"] = "subject-42", ["oid"] = "object-7" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

        async Task<HttpResponseMessage> ScoreAsync(string token)
        {
            using var client = host.Client(token);
            return await client.PostAsync("/endpoints/entra/score", DeploymentHost.Text(), DeploymentHost.Token);
        }

        string valid = Token(signing);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await ScoreAsync(valid)));
        Assert.Equal("the token is for another audience", await DeploymentHost.MessageAsync(await ScoreAsync(Token(signing, audience: "api://other"))));
        Assert.Equal("the token is from another issuer", await DeploymentHost.MessageAsync(await ScoreAsync(Token(signing, issuer: "https://evil.example.test/"))));
        Assert.Equal("the token's signature does not verify", await DeploymentHost.MessageAsync(await ScoreAsync(Token(new RsaSecurityKey(_otherKey) { KeyId = "test-key-1" }))));
        Assert.Equal("invalid token", await DeploymentHost.MessageAsync(await ScoreAsync("not-a-jwt")));

        host.Time.Advance(TimeSpan.FromMinutes(66));
        var expired = await ScoreAsync(valid);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("the token has expired or is not valid yet", await DeploymentHost.MessageAsync(expired));
        now = host.Time.GetUtcNow().UtcDateTime;
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await ScoreAsync(Token(signing))));

        var audit = JsonSerializer.Deserialize(await (await host.Admin.GetAsync("/management/audit?endpoint=entra", DeploymentHost.Token)).Content.ReadAsStringAsync(DeploymentHost.Token),
            ManagementJsonContext.Default.IReadOnlyListAuditRecord)!;
        Assert.Equal(["aad:object-7", "unauthenticated", "unauthenticated", "unauthenticated", "unauthenticated", "unauthenticated", "aad:object-7"], audit.Select(a => a.Caller));
        Assert.DoesNotContain(audit, a => a.Caller.Contains(valid, StringComparison.Ordinal));
    }
}
