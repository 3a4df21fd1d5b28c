using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedServe.Server.Management;
using MedServe.Server.State;

namespace MedServe.Server.Security;

/// <summary>
/// Issues and checks <c>aml_token</c> tokens: <c>msv1.PAYLOAD.SIGNATURE</c>, the payload JSON
/// (endpoint, key slot, issue and expiry time in Unix seconds) and its HMAC-SHA256 under a key derived
/// from the server secret, both base64url. Tokens name their endpoint, so one endpoint's token never
/// opens another. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class AmlTokenService(ServerSecret secret, TimeProvider time, TimeSpan lifetime)
{
    private const string Prefix = "msv1.";

    public TimeSpan Lifetime { get; } = lifetime;

    public AccessToken Issue(string endpoint, KeySlot slot)
    {
        long issued = time.GetUtcNow().ToUnixTimeSeconds();
        long expiry = issued + (long)Lifetime.TotalSeconds;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("e", endpoint);
            writer.WriteString("s", slot == KeySlot.Primary ? "primary" : "secondary");
            writer.WriteNumber("iat", issued);
            writer.WriteNumber("exp", expiry);
            writer.WriteEndObject();
        }

        string payload = Base64Url.EncodeToString(buffer.ToArray());
        string signature = Base64Url.EncodeToString(Sign(payload));
        return new AccessToken
        {
            Token = Prefix + payload + "." + signature,
            ExpiryTimeUtc = expiry,
            RefreshAfterTimeUtc = issued + ((expiry - issued) / 2),
        };
    }

    /// <summary>True when the credential looks like an aml token (so key checks can be skipped).</summary>
    public static bool LooksLikeToken(string credential) => credential.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Checks a token for an endpoint; the caller is <c>aml_token:SLOT</c>; the reason is client-safe.</summary>
    public bool TryValidate(string token, string endpoint, out string caller, out string reason)
    {
        caller = "";
        reason = "invalid token";
        if (!LooksLikeToken(token))
        {
            return false;
        }

        int dot = token.IndexOf('.', Prefix.Length);
        if (dot < 0)
        {
            return false;
        }

        string payload = token[Prefix.Length..dot];
        byte[] presented;
        try
        {
            presented = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(presented, Sign(payload)))
        {
            return false;
        }

        using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
        var root = document.RootElement;
        if (!string.Equals(root.GetProperty("e").GetString(), endpoint, StringComparison.Ordinal))
        {
            reason = "the token was issued for another endpoint";
            return false;
        }

        if (time.GetUtcNow().ToUnixTimeSeconds() >= root.GetProperty("exp").GetInt64())
        {
            reason = "the token has expired; get a new one from POST /endpoints/{name}/token";
            return false;
        }

        caller = "aml_token:" + root.GetProperty("s").GetString();
        return true;
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(secret.SigningKey, Encoding.ASCII.GetBytes(Prefix + payload));
}
