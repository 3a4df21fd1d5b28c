using System.Security.Claims;
using MedServe.Server.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedServe.Server.Security;

/// <summary>
/// Validates <c>aad_token</c> JWTs: signature against the configured signing keys (a JWKS file, so no
/// network is needed), issuer, audience and lifetime (by the injected <see cref="TimeProvider"/>, five
/// minutes of clock skew, as the Microsoft identity libraries default).
/// </summary>
internal sealed class AadTokenValidator
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters? _parameters;

    public AadTokenValidator(ServerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AadIssuer is null || options.AadAudience is null || options.AadSigningKeysFile is null)
        {
            return;
        }

        var keys = new JsonWebKeySet(File.ReadAllText(options.AadSigningKeysFile)).GetSigningKeys();
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.AadIssuer,
            ValidAudience = options.AadAudience,
            IssuerSigningKeys = keys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is not null && now < expires.Value + ClockSkew && (notBefore is null || now >= notBefore.Value - ClockSkew);
            },
        };
    }

    public bool IsConfigured => _parameters is not null;

    /// <summary>Validates a token; the caller is <c>aad:SUBJECT</c> (the <c>oid</c> or <c>sub</c> claim); the reason is client-safe.</summary>
    public async Task<(bool Valid, string Caller, string Reason)> ValidateAsync(string token)
    {
        if (_parameters is null)
        {
            return (false, "", "this server has no aad_token issuer configured");
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            string reason = result.Exception switch
            {
                SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException => "the token has expired or is not valid yet",
                SecurityTokenInvalidAudienceException => "the token is for another audience",
                SecurityTokenInvalidIssuerException => "the token is from another issuer",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token's signature does not verify",
                _ => "invalid token",
            };
            return (false, "", reason);
        }

        string subject = result.ClaimsIdentity.FindFirst("oid")?.Value ?? result.ClaimsIdentity.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? result.ClaimsIdentity.FindFirst("sub")?.Value ?? "unknown";
        return (true, "aad:" + (subject.Length <= 64 ? subject : subject[..64]), "");
    }
}
