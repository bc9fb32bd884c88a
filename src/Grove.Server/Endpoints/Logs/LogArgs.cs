using System.Globalization;
using Grove.Logs;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Endpoints.Logs;

/// <summary>Query parameters of the log routes: a line number or count that is not an integer is <c>invalid_range</c>.</summary>
internal static class LogArgs
{
    /// <summary>A line number or count; absent → <paramref name="fallback"/>; not an integer → <c>invalid_range</c> (a negative one is left to the engine).</summary>
    public static long Long(HttpRequest r, string name, long fallback)
    {
        var text = r.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new LogException(LogErrorCode.InvalidRange, $"'{name}' must be an integer, not '{Clip(text)}'");
    }

    /// <summary>An optional count within <see cref="int"/>; absent → null.</summary>
    public static int? Int(HttpRequest r, string name)
    {
        var text = r.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new LogException(LogErrorCode.InvalidRange, $"'{name}' must be an integer, not '{Clip(text)}'");
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
