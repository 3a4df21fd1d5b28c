namespace MedServe.Server.State;

/// <summary>One endpoint key as stored: its SHA-256 (what requests are checked against) and the key sealed with the server secret (for get-credentials).</summary>
/// <param name="Hash">SHA-256 of the key's UTF-8 bytes.</param>
/// <param name="Sealed">The key encrypted with AES-GCM under the server secret.</param>
internal sealed record StoredKey(byte[] Hash, byte[] Sealed);
