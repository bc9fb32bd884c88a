using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>A config as the server answers it (<c>/api/v1/config</c>): content (when asked for), MD5 and metadata.</summary>
public sealed record GroveConfig
{
    /// <summary>The config's namespace, group and dataId.</summary>
    public required GroveConfigKey Key { get; init; }

    /// <summary>The content; null in listings (unless asked for) and for secrets the caller may not read.</summary>
    public string? Content { get; init; }

    /// <summary>MD5 of the UTF-8 content, 32 lower-case hex digits (what Diamond and Nacos clients compare).</summary>
    public string? Md5 { get; init; }

    /// <summary>The content's size in UTF-8 bytes.</summary>
    public long Size { get; init; }

    /// <summary>The format: <c>text</c>, <c>json</c>, <c>yaml</c>, <c>properties</c>, <c>xml</c> or <c>html</c>.</summary>
    public string Type { get; init; } = "text";

    /// <summary>A free description.</summary>
    public string? Description { get; init; }

    /// <summary>Tags, for search.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The application it belongs to.</summary>
    public string? App { get; init; }

    /// <summary>Encrypted at rest on the server.</summary>
    public bool Secret { get; init; }

    /// <summary>The store revision of its last change (only grows).</summary>
    public long Revision { get; init; }

    /// <summary>When it was created, and by whom.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset ModifiedAt { get; init; }

    /// <summary>Who last changed it.</summary>
    public string? ModifiedBy { get; init; }

    /// <summary>True when this is the gray (beta) content the server gave this client.</summary>
    public bool IsBeta { get; init; }

    internal static GroveConfigKey KeyFromJson(JsonElement e) => new(Wire.Str(e, "group"), Wire.Str(e, "dataId"), Wire.Str(e, "tenant"));

    internal static GroveConfig FromJson(JsonElement e) => new()
    {
        Key = KeyFromJson(e),
        Content = Wire.OptStr(e, "content"),
        Md5 = Wire.OptStr(e, "md5"),
        Size = Wire.Long(e, "size"),
        Type = Wire.OptStr(e, "type") ?? "text",
        Description = Wire.OptStr(e, "desc"),
        Tags = Wire.Strings(e, "tags"),
        App = Wire.OptStr(e, "app"),
        Secret = Wire.Bool(e, "secret"),
        Revision = Wire.Long(e, "revision"),
        CreatedAt = Wire.Time(e, "createdAt"),
        CreatedBy = Wire.OptStr(e, "createdBy"),
        ModifiedAt = Wire.Time(e, "modifiedAt"),
        ModifiedBy = Wire.OptStr(e, "modifiedBy"),
        IsBeta = Wire.Bool(e, "beta"),
    };
}
