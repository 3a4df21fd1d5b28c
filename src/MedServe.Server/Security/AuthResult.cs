namespace MedServe.Server.Security;

/// <summary>The outcome of authenticating a scoring request: the caller's identity (never the secret) or a client-safe reason.</summary>
internal readonly record struct AuthResult(bool Ok, string Caller, string Reason)
{
    public static AuthResult Accept(string caller) => new(true, caller, "");

    public static AuthResult Refuse(string reason) => new(false, "", reason);
}
