using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Grove.Config.Internal;

/// <summary>
/// Envelope encryption of secrets: each body gets its own random 256-bit data key (AES-GCM), and that key is
/// wrapped by the master key (AES-GCM too). The envelope is bound to the config's key (associated data), so a
/// sealed body cannot be moved to another config. Layout:
/// <c>"GSE1" | master key id (8) | wrap nonce (12) | wrapped key (32) | wrap tag (16) | nonce (12) | tag (16) | ciphertext</c>.
/// </summary>
internal sealed class SecretBox
{
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int IdSize = 8;
    private static readonly byte[] Magic = "GSE1"u8.ToArray();
    private static readonly int HeaderSize = Magic.Length + IdSize + NonceSize + KeySize + TagSize + NonceSize + TagSize;

    private readonly byte[] _master;
    private readonly byte[] _id;

    public SecretBox(byte[] masterKey)
    {
        if (masterKey is not { Length: KeySize })
        {
            throw new ArgumentException($"the master key must be {KeySize} bytes", nameof(masterKey));
        }

        _master = (byte[])masterKey.Clone();
        _id = SHA256.HashData([.. "grove-config-master-key-id"u8, .. masterKey])[..IdSize];
    }

    /// <summary>The master key's public id (hex), shown when a node holds another key than the one that sealed a body.</summary>
    public string KeyId => Convert.ToHexStringLower(_id);

    public static bool IsSealed(ReadOnlySpan<byte> body) => body.Length >= HeaderSize && body.StartsWith(Magic);

    public byte[] Seal(ReadOnlySpan<byte> plain, ConfigKey key)
    {
        var dataKey = RandomNumberGenerator.GetBytes(KeySize);
        var output = new byte[HeaderSize + plain.Length];
        var span = output.AsSpan();
        Magic.CopyTo(span);
        _id.CopyTo(span[Magic.Length..]);
        var at = Magic.Length + IdSize;
        var wrapNonce = span.Slice(at, NonceSize);
        RandomNumberGenerator.Fill(wrapNonce);
        using (var wrap = new AesGcm(_master, TagSize))
        {
            wrap.Encrypt(wrapNonce, dataKey, span.Slice(at + NonceSize, KeySize), span.Slice(at + NonceSize + KeySize, TagSize), span[..(Magic.Length + IdSize)]);
        }

        at += NonceSize + KeySize + TagSize;
        var nonce = span.Slice(at, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(dataKey, TagSize))
        {
            aes.Encrypt(nonce, plain, span[HeaderSize..], span.Slice(at + NonceSize, TagSize), Associated(key));
        }

        CryptographicOperations.ZeroMemory(dataKey);
        return output;
    }

    /// <exception cref="ConfigException"><c>forbidden</c> when another master key sealed it, or it was tampered with.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedBody, ConfigKey key)
    {
        if (!IsSealed(sealedBody))
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"the secret of {key} is not a sealed envelope");
        }

        var id = sealedBody.Slice(Magic.Length, IdSize);
        if (!id.SequenceEqual(_id))
        {
            throw new ConfigException(ConfigErrorCode.Forbidden,
                $"the secret of {key} was sealed under master key {Convert.ToHexStringLower(id)}, but this node holds {KeyId}; give every node the same master key");
        }

        var dataKey = new byte[KeySize];
        var at = Magic.Length + IdSize;
        try
        {
            using (var wrap = new AesGcm(_master, TagSize))
            {
                wrap.Decrypt(sealedBody.Slice(at, NonceSize), sealedBody.Slice(at + NonceSize, KeySize), sealedBody.Slice(at + NonceSize + KeySize, TagSize), dataKey, sealedBody[..(Magic.Length + IdSize)]);
            }

            at += NonceSize + KeySize + TagSize;
            var plain = new byte[sealedBody.Length - HeaderSize];
            using var aes = new AesGcm(dataKey, TagSize);
            aes.Decrypt(sealedBody.Slice(at, NonceSize), sealedBody[HeaderSize..], sealedBody.Slice(at + NonceSize, TagSize), plain, Associated(key));
            return plain;
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ConfigException(ConfigErrorCode.Forbidden, $"the secret of {key} does not open: tampered with, or sealed for another config", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static byte[] Associated(ConfigKey key)
    {
        var text = Encoding.UTF8.GetBytes(ConfigPaths.Compact(key));
        var buffer = new byte[4 + text.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, text.Length);
        text.CopyTo(buffer, 4);
        return buffer;
    }
}
