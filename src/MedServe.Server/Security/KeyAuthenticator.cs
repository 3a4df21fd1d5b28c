using System.Security.Cryptography;
using System.Text;

namespace MedServe.Server.Security;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;key&gt;</c> against the primary and secondary keys in constant
/// time (hashes are compared, so neither content nor length leaks through timing).
/// </summary>
public sealed class KeyAuthenticator
{
    private readonly byte[] _primaryHash;
    private readonly byte[] _secondaryHash;

    /// <summary>Creates the authenticator for two keys.</summary>
    public KeyAuthenticator(string primaryKey, string secondaryKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(primaryKey);
        ArgumentException.ThrowIfNullOrEmpty(secondaryKey);
        _primaryHash = Hash(primaryKey);
        _secondaryHash = Hash(secondaryKey);
    }

    /// <summary>Generates a random key (32 bytes, base64url).</summary>
    public static string GenerateKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Checks an <c>Authorization</c> header value; the reason is client-safe and never holds the key.</summary>
    public bool IsAuthorized(string? authorizationHeader, out string reason)
    {
        if (!TryReadBearer(authorizationHeader, out string credential, out reason))
        {
            return false;
        }

        byte[] presented = Hash(credential);
        // Evaluate both comparisons so timing does not tell which key matched.
        bool primary = CryptographicOperations.FixedTimeEquals(presented, _primaryHash);
        bool secondary = CryptographicOperations.FixedTimeEquals(presented, _secondaryHash);
        if (primary | secondary)
        {
            return true;
        }

        reason = "invalid key";
        return false;
    }

    /// <summary>
    /// Reads the credential of <c>Authorization: Bearer CREDENTIAL</c>; the reason is client-safe.
    /// </summary>
    public static bool TryReadBearer(string? authorizationHeader, out string credential, out string reason)
    {
        credential = "";
        reason = "";
        if (string.IsNullOrEmpty(authorizationHeader))
        {
            reason = "missing Authorization header; send 'Authorization: Bearer <key>'";
            return false;
        }

        const string Scheme = "Bearer ";
        if (!authorizationHeader.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || authorizationHeader.AsSpan(Scheme.Length).Trim().IsEmpty)
        {
            reason = "malformed Authorization header; send 'Authorization: Bearer <key>'";
            return false;
        }

        credential = authorizationHeader[Scheme.Length..].Trim();
        return true;
    }

    /// <summary>True when the SHA-256 of <paramref name="credential"/> equals either hash; both are compared in constant time.</summary>
    public static bool MatchesEither(string credential, byte[] primaryHash, byte[] secondaryHash, out bool isPrimary)
    {
        byte[] presented = Hash(credential);
        bool primary = CryptographicOperations.FixedTimeEquals(presented, primaryHash);
        bool secondary = CryptographicOperations.FixedTimeEquals(presented, secondaryHash);
        isPrimary = primary;
        return primary | secondary;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
