using System.Text.RegularExpressions;

namespace Grove.Config.Internal;

/// <summary>The dataId, group and app comparisons of <see cref="ConfigQuery"/>.</summary>
internal static class Matcher
{
    public static Func<string, bool> Of(string? pattern, ConfigMatch match)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return static _ => true;
        }

        switch (match)
        {
            case ConfigMatch.Contains:
                return s => s.Contains(pattern, StringComparison.OrdinalIgnoreCase);
            case ConfigMatch.Wildcard when pattern.Contains('*', StringComparison.Ordinal):
                var regex = new Regex("^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$",
                    RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                return regex.IsMatch;
            case ConfigMatch.Wildcard:
                return s => s.Equals(pattern, StringComparison.OrdinalIgnoreCase);
            default:
                return s => s.Equals(pattern, StringComparison.Ordinal);
        }
    }
}
