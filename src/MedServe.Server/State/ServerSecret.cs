using System.Security.Cryptography;
using System.Text;

namespace MedServe.Server.State;

/// <summary>
/// The server's own 32-byte secret: seals endpoint keys at rest (AES-GCM) and signs aml tokens
/// (HMAC-SHA256, under a derived key). Kept in a file beside the state database (mode 0600), or in
/// memory when the state is in memory.
/// </summary>
internal sealed class ServerSecret
{
    private readonly byte[] _sealKey;
    private readonly byte[] _signKey;

    private ServerSecret(byte[] secret)
    {
        _sealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.ASCII.GetBytes("medserve key sealing"));
        _signKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.ASCII.GetBytes("medserve aml token"));
    }

    /// <summary>The HMAC key for aml tokens.</summary>
    public ReadOnlySpan<byte> SigningKey => _signKey;

    /// <summary>A fresh in-memory secret.</summary>
    public static ServerSecret CreateEphemeral() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Reads the secret file, creating it (owner read/write only) when missing.</summary>
    public static ServerSecret LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            byte[] existing = File.ReadAllBytes(path);
            if (existing.Length != 32)
            {
                throw new InvalidDataException($"the server secret file '{path}' is damaged (expected 32 bytes, found {existing.Length})");
            }

            return new ServerSecret(existing);
        }

        byte[] secret = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(secret);
            stream.Flush(flushToDisk: true);
        }

        return new ServerSecret(secret);
    }

    /// <summary>SHA-256 of a key, as stored and compared.</summary>
    public static byte[] HashKey(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Hashes and seals a key for storage.</summary>
    public StoredKey Protect(string key)
    {
        byte[] plain = Encoding.UTF8.GetBytes(key);
        byte[] result = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(result.AsSpan(0, 12));
        using var aes = new AesGcm(_sealKey, 16);
        aes.Encrypt(result.AsSpan(0, 12), plain, result.AsSpan(28), result.AsSpan(12, 16));
        return new StoredKey(HashKey(key), result);
    }

    /// <summary>Opens a sealed key.</summary>
    public string Unseal(byte[] sealedKey)
    {
        ArgumentNullException.ThrowIfNull(sealedKey);
        byte[] plain = new byte[sealedKey.Length - 28];
        using var aes = new AesGcm(_sealKey, 16);
        aes.Decrypt(sealedKey.AsSpan(0, 12), sealedKey.AsSpan(28), sealedKey.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
