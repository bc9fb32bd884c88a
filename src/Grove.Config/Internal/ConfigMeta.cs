using System.Text.Json;

namespace Grove.Config.Internal;

/// <summary>The custom metadata keys of config, beta and history objects, and typed reads of them.</summary>
internal static class ConfigMeta
{
    public const string Rev = "rev";
    public const string Counter = "n";
    public const string Md5 = "md5";
    public const string Type = "ctype";
    public const string Description = "desc";
    public const string Tags = "tags";
    public const string App = "app";
    public const string Secret = "secret";
    public const string Sealed = "sealed";
    public const string Ip = "ip";
    public const string Ips = "bips";
    public const string Labels = "blbl";
    public const string Key = "ck";
    public const string Tenant = "ns";
    public const string Op = "op";

    public static string? String(IReadOnlyDictionary<string, JsonElement> meta, string key) =>
        meta.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    public static long Long(IReadOnlyDictionary<string, JsonElement> meta, string key) =>
        meta.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : 0;

    public static bool Bool(IReadOnlyDictionary<string, JsonElement> meta, string key) =>
        meta.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.True;

    public static IReadOnlyList<string> Strings(IReadOnlyDictionary<string, JsonElement> meta, string key) =>
        meta.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];

    /// <summary>Builds metadata, leaving out nulls, empty lists and false flags.</summary>
    public static Dictionary<string, JsonElement> Of(params (string Key, object? Value)[] pairs)
    {
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (value is null or false || value is IReadOnlyCollection<string> { Count: 0 })
            {
                continue;
            }

            d[key] = JsonSerializer.SerializeToElement(value);
        }

        return d;
    }

    public static string OpName(ConfigOp op) => op switch
    {
        ConfigOp.Delete => "delete",
        ConfigOp.Rollback => "rollback",
        ConfigOp.Import => "import",
        ConfigOp.BetaPublish => "beta-publish",
        ConfigOp.BetaPromote => "beta-promote",
        ConfigOp.BetaCancel => "beta-cancel",
        _ => "publish",
    };

    public static ConfigOp ParseOp(string? name) => name switch
    {
        "delete" => ConfigOp.Delete,
        "rollback" => ConfigOp.Rollback,
        "import" => ConfigOp.Import,
        "beta-publish" => ConfigOp.BetaPublish,
        "beta-promote" => ConfigOp.BetaPromote,
        "beta-cancel" => ConfigOp.BetaCancel,
        _ => ConfigOp.Publish,
    };
}
