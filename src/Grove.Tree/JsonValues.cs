using System.Text.Json;

namespace Grove.Tree;

/// <summary>Conversions between JSON elements and the plain values used by filters and metadata.</summary>
public static class JsonValues
{
    /// <summary>Turns a JSON element into string, long, double, bool, null, a list, or (for objects) the element itself.</summary>
    public static object? ToPlain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => e.EnumerateArray().Select(ToPlain).ToList(),
        _ => e,
    };

    /// <summary>Turns a plain value into a detached JSON element.</summary>
    public static JsonElement FromPlain(object? value) => value switch
    {
        JsonElement e => e.Clone(),
        _ => JsonSerializer.SerializeToElement(value),
    };
}
