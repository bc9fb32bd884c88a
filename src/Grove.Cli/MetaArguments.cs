using System.Text.Json;

namespace Grove.Cli;

/// <summary>Parses <c>key=value</c> arguments of <c>meta set</c>.</summary>
internal static class MetaArguments
{
    /// <summary>
    /// Splits at the first <c>=</c>. The value is JSON when it parses as JSON (<c>42</c>, <c>true</c>, <c>[1,2]</c>,
    /// <c>"quoted"</c>, <c>null</c> removes the key); otherwise it is taken as a plain string.
    /// </summary>
    public static Dictionary<string, JsonElement> Parse(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw CliException.Usage($"'{pair}' is not key=value");
            }

            result[pair[..eq].Trim()] = Value(pair[(eq + 1)..]);
        }

        return result;
    }

    /// <summary>A value as JSON if it parses, else as a string.</summary>
    public static JsonElement Value(string text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not JSON: a plain string.
            }
        }

        return JsonSerializer.SerializeToElement(text);
    }
}
