using System.Text.Json.Nodes;

namespace Grove.Messages.Internal.Mapping;

/// <summary>
/// Source paths over a parsed body (JSON, or XML read as a JSON-shaped tree): segments separated by <c>/</c> or
/// <c>.</c>, a leading <c>$</c> or <c>/</c> ignored. Where a segment meets an array (a JSON array, repeated XML
/// elements) a value path takes its first item; <see cref="Items"/> takes them all.
/// </summary>
internal static class SourcePath
{
    private static readonly char[] Separators = ['/', '.'];

    public static string[] Split(string path) =>
        path.TrimStart('$').Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static JsonNode? Find(JsonNode? node, string[] segments)
    {
        foreach (var s in segments)
        {
            if (node is JsonArray a)
            {
                node = a.Count > 0 ? a[0] : null;
            }

            if (node is not JsonObject o || !o.TryGetPropertyValue(s, out node))
            {
                return null;
            }
        }

        return node is JsonArray { Count: > 0 } last && last[0] is JsonValue ? last[0] : node;
    }

    public static IEnumerable<JsonNode?> Items(JsonNode? node, string[] segments)
    {
        var found = Find(node, segments.Length == 0 ? segments : segments[..^1]);
        if (segments.Length > 0)
        {
            if (found is JsonArray a0)
            {
                found = a0.Count > 0 ? a0[0] : null;
            }

            found = found is JsonObject o && o.TryGetPropertyValue(segments[^1], out var n) ? n : null;
        }

        return found switch
        {
            null => Array.Empty<JsonNode?>(),
            JsonArray a => a,
            _ => new[] { found },
        };
    }
}
