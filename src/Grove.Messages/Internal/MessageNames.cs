using System.Text.RegularExpressions;

namespace Grove.Messages.Internal;

/// <summary>What partner and type names may be: they form a config dataId <c>&lt;partner&gt;.&lt;type&gt;</c>, so no dots.</summary>
internal static partial class MessageNames
{
    public static void CheckPartnerAndType(string? partner, string? type)
    {
        Check(partner, "partner");
        Check(type, "type");
    }

    public static void Check(string? value, string what)
    {
        if (value is null || !Pattern().IsMatch(value))
        {
            throw MessageException.Invalid($"'{value}' is not a valid {what} (1–64 of A–Z a–z 0–9 _ -)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Pattern();
}
