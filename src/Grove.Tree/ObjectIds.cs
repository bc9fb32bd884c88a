using System.Security.Cryptography;

namespace Grove.Tree;

/// <summary>Object ids: 26 random characters of a lower-case, URL-safe base-32 alphabet (130 bits).</summary>
public static class ObjectIds
{
    /// <summary>Length of a plain id.</summary>
    public const int Length = 26;

    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";

    /// <summary>A new random id.</summary>
    public static string New() => string.Create(Length, 0, static (span, _) =>
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[bytes[i] & 31];
        }
    });

    /// <summary>True when <paramref name="id"/> has the shape of a plain (not two-part) id.</summary>
    public static bool IsPlain(string id)
    {
        if (id.Length != Length)
        {
            return false;
        }

        foreach (var ch in id)
        {
            if (ch is not ((>= '0' and <= '9') or (>= 'a' and <= 'v')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits a two-part id <c>HomeID:ReferID</c>; false for a plain id.</summary>
    public static bool TrySplit(string id, out string homeId, out string referId)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            homeId = id;
            referId = "";
            return false;
        }

        homeId = id[..colon];
        referId = id[(colon + 1)..];
        return true;
    }
}
