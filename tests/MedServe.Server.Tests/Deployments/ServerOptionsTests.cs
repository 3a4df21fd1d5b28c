using MedServe.Server.Hosting;

namespace MedServe.Server.Tests.Deployments;

/// <summary>The deployment-related server options are validated before the server starts.</summary>
public sealed class ServerOptionsTests
{
    [Theory]
    [InlineData("issuer", null, null, "aad_token needs all three of the issuer, the audience and the signing keys file")]
    [InlineData("issuer", "audience", "/nonexistent/jwks.json", "the aad signing keys file '/nonexistent/jwks.json' does not exist")]
    public void Validate_AadPartlyConfigured_NamesTheProblem(string? issuer, string? audience, string? keys, string expected)
    {
        var problems = new ServerOptions { AadIssuer = issuer, AadAudience = audience, AadSigningKeysFile = keys }.Validate();
        Assert.Equal(expected, Assert.Single(problems));
    }

    [Fact]
    public void Validate_ShortAdminKeyAndTokenLifetime_AreRefused()
    {
        var problems = new ServerOptions { AdminKey = "short", AmlTokenLifetime = TimeSpan.FromSeconds(5) }.Validate();
        Assert.Equal(["the aml token lifetime must be from 1 minute to 1 day", "the admin key must be at least 16 characters without white space"], problems);
    }

    [Theory]
    [InlineData(1023L)]
    [InlineData(2_147_483_592L)]
    public void Validate_BodyLimitOutOfRange_IsRefused(long limit)
    {
        var problems = new ServerOptions { MaxRequestBodyBytes = limit }.Validate();
        Assert.Equal("the request body limit must be from 1024 to 2147483591 bytes (a body is read into one array)", Assert.Single(problems));
        Assert.Equal(ServerOptions.MaxBodyLimit, Array.MaxLength);
    }

    [Fact]
    public void Build_InvalidOptions_ThrowsBeforeStarting()
    {
        var ex = Assert.Throws<ArgumentException>(() => MedServeApplication.Build(new ServerOptions { AdminKey = "short" }, new EndpointRegistry()));
        Assert.StartsWith("invalid server options: the admin key must be at least 16 characters", ex.Message, StringComparison.Ordinal);
    }
}
