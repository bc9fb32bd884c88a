using System.Text.Json;

namespace Grove.Client;

/// <summary>
/// One object of the tree as the server sends it: the built-in keys as properties (their wire names in brackets)
/// and every custom key in <see cref="Meta"/>.
/// </summary>
public sealed record GroveObject
{
    /// <summary>The built-in wire keys; every other key is custom metadata.</summary>
    public static readonly IReadOnlySet<string> BuiltInKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "pid", "nm", "race", "tp", "mime", "len", "sha256", "mnt", "ln", "lbls",
        "c", "m", "g", "md", "ct", "lm", "expi", "ph", "v", "bk", "d0", "d1", "st", "data",
    };

    /// <summary>The object's id (<c>id</c>): 26 characters, or <c>HomeID:ReferID</c> inside a mount.</summary>
    public required string Id { get; init; }

    /// <summary>The parent directory's id (<c>pid</c>); empty for the root.</summary>
    public string ParentId { get; init; } = "";

    /// <summary>The name within the parent (<c>nm</c>); empty for the root.</summary>
    public string Name { get; init; } = "";

    /// <summary>True for a directory (<c>race</c> = <c>DIR</c>), false for a file.</summary>
    public bool IsDirectory { get; init; }

    /// <summary>
    /// True for a listing entry the caller may not read (<c>hidden</c>): only <see cref="Name"/> and
    /// <see cref="IsDirectory"/> are known.
    /// </summary>
    public bool Hidden { get; init; }

    /// <summary>The type from the name's extension, lower case (<c>tp</c>).</summary>
    public string? Type { get; init; }

    /// <summary>The MIME type (<c>mime</c>).</summary>
    public string? Mime { get; init; }

    /// <summary>Content length in bytes (<c>len</c>).</summary>
    public long Length { get; init; }

    /// <summary>SHA-256 of the content, lower-case hex (<c>sha256</c>); also the download's ETag. Null for directories.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The mount expression of a directory (<c>mnt</c>).</summary>
    public string? Mount { get; init; }

    /// <summary>A link target path (<c>ln</c>).</summary>
    public string? Link { get; init; }

    /// <summary>Labels (<c>lbls</c>).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The owner, stamped by the server (<c>c</c>).</summary>
    public string? Creator { get; init; }

    /// <summary>The last modifier, stamped by the server (<c>m</c>).</summary>
    public string? Modifier { get; init; }

    /// <summary>The owning group (<c>g</c>).</summary>
    public string? Group { get; init; }

    /// <summary>Mode bits for owner, group and others (<c>md</c>): read 4, write 2, list 1; e.g. <c>0b111_101_101</c>.</summary>
    public int Mode { get; init; }

    /// <summary>When the object was created (<c>ct</c>).</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the object last changed (<c>lm</c>).</summary>
    public DateTimeOffset Modified { get; init; }

    /// <summary>When the expiry sweep may remove the object (<c>expi</c>), or null.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>The revision, raised by every change (<c>v</c>).</summary>
    public long Version { get; init; }

    /// <summary>The absolute path (<c>ph</c>), when the server knows it.</summary>
    public string? Path { get; init; }

    /// <summary>Custom metadata: every key that is not built in, with its JSON value.</summary>
    public IReadOnlyDictionary<string, JsonElement> Meta { get; init; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>Reads an object from its wire form; unknown keys become <see cref="Meta"/>.</summary>
    public static GroveObject FromJson(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("an object must be a JSON object");
        }

        var meta = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!BuiltInKeys.Contains(p.Name))
            {
                meta[p.Name] = p.Value.Clone();
            }
        }

        return new GroveObject
        {
            Id = Text(e, "id") ?? "",
            ParentId = Text(e, "pid") ?? "",
            Name = Text(e, "nm") ?? "",
            IsDirectory = Text(e, "race") == "DIR",
            Hidden = e.TryGetProperty("hidden", out var h) && h.ValueKind == JsonValueKind.True,
            Type = Text(e, "tp"),
            Mime = Text(e, "mime"),
            Length = Number(e, "len") ?? 0,
            Sha256 = Text(e, "sha256"),
            Mount = Text(e, "mnt"),
            Link = Text(e, "ln"),
            Labels = e.TryGetProperty("lbls", out var l) && l.ValueKind == JsonValueKind.Array
                ? [.. l.EnumerateArray().Select(x => x.GetString() ?? "")]
                : [],
            Creator = Text(e, "c"),
            Modifier = Text(e, "m"),
            Group = Text(e, "g"),
            Mode = (int)(Number(e, "md") ?? 0),
            Created = Time(Number(e, "ct") ?? 0),
            Modified = Time(Number(e, "lm") ?? 0),
            Expires = Number(e, "expi") is { } x ? Time(x) : null,
            Version = Number(e, "v") ?? 0,
            Path = Text(e, "ph"),
            Meta = meta,
        };
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string? Text(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
