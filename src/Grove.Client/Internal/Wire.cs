using System.Text.Json;

namespace Grove.Client.Internal;

/// <summary>Lenient readers of the server's JSON answers: a missing or mistyped property reads as its default.</summary>
internal static class Wire
{
    public static string Str(JsonElement e, string name) => OptStr(e, name) ?? "";

    public static string? OptStr(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long? OptLong(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    public static long Long(JsonElement e, string name) => OptLong(e, name) ?? 0;

    public static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static DateTimeOffset Time(JsonElement e, string name) => DateTimeOffset.FromUnixTimeMilliseconds(Long(e, name));

    public static DateTimeOffset? OptTime(JsonElement e, string name) =>
        OptLong(e, name) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
            : [];

    public static IReadOnlyList<T> List<T>(JsonElement e, Func<JsonElement, T> read) =>
        e.ValueKind == JsonValueKind.Array ? [.. e.EnumerateArray().Select(read)] : [];
}
