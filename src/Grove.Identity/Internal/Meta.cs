using System.Text.Json;

namespace Grove.Identity.Internal;

/// <summary>Reads and builds the custom metadata of identity objects.</summary>
internal static class Meta
{
    public const string Password = "pwd";
    public const string Groups = "groups";
    public const string Admin = "admin";
    public const string Members = "members";
    public const string User = "user";
    public const string UserId = "uid";
    public const string PasswordVersion = "pwv";
    public const string Name = "name";
    public const string Hash = "hash";

    public static string? String(IReadOnlyDictionary<string, JsonElement> meta, string key) =>
        meta.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    public static bool Bool(IReadOnlyDictionary<string, JsonElement> meta, string key) =>
        meta.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.True;

    public static IReadOnlyList<string> Strings(IReadOnlyDictionary<string, JsonElement> meta, string key)
    {
        if (!meta.TryGetValue(key, out var e) || e.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return e.EnumerateArray()
            .Where(x => x.ValueKind == JsonValueKind.String)
            .Select(x => x.GetString()!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static Dictionary<string, JsonElement> Of(params (string Key, object? Value)[] pairs)
    {
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            d[key] = JsonSerializer.SerializeToElement(value);
        }

        return d;
    }
}
