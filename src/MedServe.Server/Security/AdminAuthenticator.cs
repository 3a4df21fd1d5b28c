namespace MedServe.Server.Security;

/// <summary>Checks the admin key of the management API (constant time); endpoint keys never pass.</summary>
internal sealed class AdminAuthenticator(string adminKey)
{
    private readonly KeyAuthenticator _keys = new(adminKey, adminKey);

    public bool IsAuthorized(string? header, out string reason)
    {
        if (_keys.IsAuthorized(header, out reason))
        {
            return true;
        }

        if (reason == "invalid key")
        {
            reason = "invalid admin key: the management API needs the server's admin key, not an endpoint key or token";
        }

        return false;
    }
}
