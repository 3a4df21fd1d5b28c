namespace MedServe.Server.Configuration;

/// <summary>The endpoint <c>auth_mode</c> values, as Azure ML spells them.</summary>
public static class AuthModes
{
    /// <summary>Primary and secondary endpoint keys sent as <c>Authorization: Bearer KEY</c>.</summary>
    public const string Key = "key";

    /// <summary>Short-lived tokens from <c>POST /endpoints/{name}/token</c>, exchanged for a key.</summary>
    public const string AmlToken = "aml_token";

    /// <summary>JWTs from the configured OpenID issuer, for the configured audience.</summary>
    public const string AadToken = "aad_token";

    /// <summary>Every mode.</summary>
    public static IReadOnlyList<string> All { get; } = [Key, AmlToken, AadToken];
}
