using System.Collections.Frozen;
using System.Text.Json;

namespace Grove.Tree;

/// <summary>
/// One object of the tree: an immutable metadata map. Built-in keys are properties; any other key lives in
/// <see cref="Meta"/> as a JSON value. Change an object through <c>TreeService</c>, never by hand.
/// </summary>
public sealed record TreeObject
{
    /// <summary>The built-in keys, in their short wire names. Custom metadata may not use them.</summary>
    public static readonly FrozenSet<string> BuiltInKeys = new[]
    {
        "id", "pid", "nm", "race", "tp", "mime", "len", "sha256", "mnt", "ln", "lbls",
        "c", "m", "g", "md", "ct", "lm", "expi", "ph", "v", "bk", "d0", "d1", "st", "data",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The object's id: 26 URL-safe characters, or <c>HomeID:ReferID</c> inside a mount.</summary>
    public required string Id { get; init; }

    /// <summary>The parent directory's id; empty for the root.</summary>
    public required string ParentId { get; init; }

    /// <summary>The name within the parent (<c>nm</c>); empty for the root.</summary>
    public required string Name { get; init; }

    /// <summary>Directory or file (<c>race</c>).</summary>
    public ObjectRace Race { get; init; }

    /// <summary>The type, from the name's extension, lower case (<c>tp</c>).</summary>
    public string? Type { get; init; }

    /// <summary>The MIME type (<c>mime</c>).</summary>
    public string? Mime { get; init; }

    /// <summary>Content length in bytes (<c>len</c>).</summary>
    public long Length { get; init; }

    /// <summary>SHA-256 of the content, lower-case hex (<c>sha256</c>); null for directories.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The mount expression of a directory (<c>mnt</c>).</summary>
    public string? Mount { get; init; }

    /// <summary>A link target path (<c>ln</c>).</summary>
    public string? Link { get; init; }

    /// <summary>Labels (<c>lbls</c>).</summary>
    public IReadOnlyList<string> Labels
    {
        get => _labels ??= _labelsJson is null ? [] : Internal.RowCodec.ParseLabels(_labelsJson);
        init
        {
            _labels = value;
            _labelsJson = null;
        }
    }

    /// <summary>Creator (<c>c</c>).</summary>
    public string? Creator { get; init; }

    /// <summary>Last modifier (<c>m</c>).</summary>
    public string? Modifier { get; init; }

    /// <summary>Owning group (<c>g</c>).</summary>
    public string? Group { get; init; }

    /// <summary>Mode bits for owner, group and others (<c>md</c>), as in Unix: r=4, w=2, x(list)=1.</summary>
    public int Mode { get; init; }

    /// <summary>Created, ms since the Unix epoch (<c>ct</c>).</summary>
    public long Created { get; init; }

    /// <summary>Last modified, ms since the Unix epoch (<c>lm</c>).</summary>
    public long Modified { get; init; }

    /// <summary>Expiry, ms since the Unix epoch (<c>expi</c>); the sweep removes the object after it.</summary>
    public long? Expires { get; init; }

    /// <summary>Revision, raised by every change; used for optimistic concurrency (<c>v</c>).</summary>
    public long Version { get; init; }

    /// <summary>The bucket holding the content (<c>bk</c>); null for the default bucket.</summary>
    public string? Bucket { get; init; }

    /// <summary>Custom metadata: any key not built in, with a JSON value.</summary>
    public IReadOnlyDictionary<string, JsonElement> Meta
    {
        get => _meta ??= _metaJson is null ? EmptyMeta : Internal.RowCodec.ParseMeta(_metaJson);
        init
        {
            _meta = value;
            _metaJson = null;
        }
    }

    // Note that rows read from an index keep labels and metadata as JSON text until first asked for: listing a page
    // of a million-entry directory then costs no JSON parsing at all.
    private IReadOnlyList<string>? _labels;
    private string? _labelsJson;
    private IReadOnlyDictionary<string, JsonElement>? _meta;
    private string? _metaJson;

    /// <summary>Labels as stored JSON, parsed on first use.</summary>
    internal string? LabelsJson
    {
        get => _labels is null ? _labelsJson : null;
        init
        {
            _labelsJson = value;
            _labels = null;
        }
    }

    /// <summary>Custom metadata as stored JSON, parsed on first use.</summary>
    internal string? MetaJson
    {
        get => _meta is null ? _metaJson : null;
        init
        {
            _metaJson = value;
            _meta = null;
        }
    }

    /// <summary>The absolute path, when the service knows it.</summary>
    public string? Path { get; init; }

    /// <summary>True for a directory.</summary>
    public bool IsDir => Race == ObjectRace.Dir;

    /// <summary>True for the root directory.</summary>
    public bool IsRoot => ParentId.Length == 0;

    /// <summary>Content small enough to live in the index row, or null (also when not loaded: see <see cref="IsInline"/>).</summary>
    internal byte[]? Inline { get; init; }

    /// <summary>Whether the content lives in the index row rather than a bucket.</summary>
    internal bool IsInline { get; init; }

    /// <summary>The fencing token of the write handle that holds the object, or null.</summary>
    internal long? WriteToken { get; init; }

    /// <summary>When the write handle's lease ends (ms since epoch).</summary>
    internal long WriteLeaseUntil { get; init; }

    internal static readonly IReadOnlyDictionary<string, JsonElement> EmptyMeta =
        new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>Reads one key, built in or custom, as a plain value (string, long, double, bool, list or null).</summary>
    public object? Get(string key) => key switch
    {
        "id" => Id,
        "pid" => ParentId,
        "nm" => Name,
        "race" => Race == ObjectRace.Dir ? "DIR" : "FILE",
        "tp" => Type,
        "mime" => Mime,
        "len" => Length,
        "sha256" => Sha256,
        "mnt" => Mount,
        "ln" => Link,
        "lbls" => Labels,
        "c" => Creator,
        "m" => Modifier,
        "g" => Group,
        "md" => (long)Mode,
        "ct" => Created,
        "lm" => Modified,
        "expi" => Expires,
        "v" => Version,
        "bk" => Bucket,
        "ph" => Path,
        _ => Meta.TryGetValue(key, out var e) ? JsonValues.ToPlain(e) : null,
    };
}
