using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Grove.Identity.Internal;

/// <summary>Random tokens, key strings and their hashes. Only hashes are ever stored.</summary>
internal static class Secrets
{
    /// <summary>The prefix of API keys: <c>gk_&lt;id&gt;_&lt;secret&gt;</c>.</summary>
    public const string KeyPrefix = "gk_";

    public const int TokenBytes = 32;

    /// <summary>Characters of a base64url encoding of 32 bytes without padding.</summary>
    public const int TokenChars = 43;

    public const int KeyIdChars = 16;

    private const string PasswordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>32 random bytes, base64url without padding.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>16 lower-case hex characters (64 random bits): names a key, is not its secret.</summary>
    public static string NewKeyId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyIdChars / 2));

    public static string NewPassword(int length) => RandomNumberGenerator.GetString(PasswordAlphabet, length);

    /// <summary>Lower-case hex SHA-256 of the UTF-8 text (of the token string itself, so no two spellings collide).</summary>
    public static string Sha256Hex(string text)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (Encoding.UTF8.GetMaxByteCount(text.Length) <= 1024)
        {
            Span<byte> utf8 = stackalloc byte[1024];
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(text, utf8)], hash);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        }

        return Convert.ToHexStringLower(hash);
    }

    /// <summary>True for exactly 43 base64url characters, the shape of a session token (or a key's secret).</summary>
    public static bool IsTokenShape(ReadOnlySpan<char> s)
    {
        if (s.Length != TokenChars)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsKeyId(ReadOnlySpan<char> s)
    {
        if (s.Length != KeyIdChars)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits <c>gk_&lt;id&gt;_&lt;secret&gt;</c>; false for anything of another shape.</summary>
    public static bool TryParseKey(string bearer, out string id, out string secret)
    {
        id = "";
        secret = "";
        var s = bearer.AsSpan();
        if (!s.StartsWith(KeyPrefix, StringComparison.Ordinal) || s.Length != KeyPrefix.Length + KeyIdChars + 1 + TokenChars)
        {
            return false;
        }

        var idPart = s.Slice(KeyPrefix.Length, KeyIdChars);
        var secretPart = s[(KeyPrefix.Length + KeyIdChars + 1)..];
        if (s[KeyPrefix.Length + KeyIdChars] != '_' || !IsKeyId(idPart) || !IsTokenShape(secretPart))
        {
            return false;
        }

        id = idPart.ToString();
        secret = secretPart.ToString();
        return true;
    }

    /// <summary>Compares two hex hashes in time independent of where they differ.</summary>
    public static bool HashEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
