using MedServe.Server.Configuration;
using MedServe.Server.Deployments;
using MedServe.Server.Hosting;
using MedServe.Server.State;

namespace MedServe.Server.Security;

/// <summary>
/// Authenticates a request for one endpoint by its <c>auth_mode</c>: its own primary or secondary key
/// (SHA-256 compared in constant time), an aml token issued for it, or an aad JWT.
/// </summary>
internal sealed class EndpointAuthenticator(EndpointRegistry registry, AmlTokenService tokens, AadTokenValidator aad)
{
    public async ValueTask<AuthResult> AuthenticateAsync(LiveEndpoint endpoint, string? header)
    {
        if (!KeyAuthenticator.TryReadBearer(header, out string credential, out string reason))
        {
            return AuthResult.Refuse(reason);
        }

        switch (endpoint.Spec.AuthMode)
        {
            case AuthModes.AmlToken:
                if (tokens.TryValidate(credential, endpoint.Name, out string caller, out reason))
                {
                    return AuthResult.Accept(caller);
                }

                return AuthResult.Refuse(AmlTokenService.LooksLikeToken(credential)
                    ? reason
                    : $"endpoint '{endpoint.Name}' uses auth_mode aml_token: exchange a key for a token at POST /endpoints/{endpoint.Name}/token and send the token");
            case AuthModes.AadToken:
                var (valid, subject, why) = await aad.ValidateAsync(credential).ConfigureAwait(false);
                return valid ? AuthResult.Accept(subject) : AuthResult.Refuse(why);
            default:
                return TryKey(endpoint, credential, out var slot)
                    ? AuthResult.Accept(slot == KeySlot.Primary ? "key:primary" : "key:secondary")
                    : AuthResult.Refuse("invalid key");
        }
    }

    /// <summary>Checks an endpoint key (whatever the auth mode), as the token exchange does.</summary>
    public static bool TryKey(LiveEndpoint endpoint, string credential, out KeySlot slot)
    {
        bool ok = KeyAuthenticator.MatchesEither(credential, endpoint.PrimaryHash, endpoint.SecondaryHash, out bool primary);
        slot = primary ? KeySlot.Primary : KeySlot.Secondary;
        return ok;
    }

    /// <summary>True when the header carries a key of some endpoint: such a caller may learn that a name does not exist.</summary>
    public bool IsKnownCaller(string? header, out string reason)
    {
        if (!KeyAuthenticator.TryReadBearer(header, out string credential, out reason))
        {
            return false;
        }

        bool any = false;
        foreach (var endpoint in registry.All)
        {
            any |= TryKey(endpoint, credential, out _);
        }

        reason = any ? "" : "invalid key";
        return any;
    }
}
