using System.Security.Cryptography;

namespace Grove.Config.Internal;

/// <summary>MD5 as Diamond and Nacos compute it: over the UTF-8 bytes of the content, 32 lower-case hex digits.</summary>
internal static class Md5Hex
{
#pragma warning disable CA5351 // Note that MD5 is the protocol's change detector, not a security measure.
    public static string Of(ReadOnlySpan<byte> utf8) => Convert.ToHexStringLower(MD5.HashData(utf8));
#pragma warning restore CA5351
}
