using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal;

/// <summary>Query-string parameters, parsed strictly: a malformed value is a 400, never silently ignored.</summary>
internal static class QueryArgs
{
    public static int Int(HttpRequest r, string name, int fallback, int min, int max)
    {
        var text = r.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw ServerException.Bad($"'{name}' must be an integer from {min} to {max}");
    }

    public static bool Bool(HttpRequest r, string name, bool fallback)
    {
        var text = r.Query[name].ToString();
        return text.Length == 0 ? fallback
            : bool.TryParse(text, out var b) ? b
            : text == "1" || (text == "0" ? false : throw ServerException.Bad($"'{name}' must be true or false"));
    }

    public static string? String(HttpRequest r, string name)
    {
        var text = r.Query[name].ToString();
        return text.Length == 0 ? null : text;
    }
}
