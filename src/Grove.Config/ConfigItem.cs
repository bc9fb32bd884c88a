namespace Grove.Config;

/// <summary>One config as served: content (plain text, also for secrets), its MD5 and its metadata. Immutable.</summary>
public sealed record ConfigItem
{
    /// <summary>Namespace, group and dataId.</summary>
    public required ConfigKey Key { get; init; }

    /// <summary>
    /// The content, decoded from <see cref="Utf8"/> on every call: a served config holds its content once, as UTF-8
    /// (issue 12, defect 4). Answers that carry bytes should write <see cref="Utf8"/> instead.
    /// </summary>
    public string Content => System.Text.Encoding.UTF8.GetString(Utf8.Span);

    /// <summary>The content as UTF-8 bytes (what the MD5 is computed over and what HTTP answers carry).</summary>
    public required ReadOnlyMemory<byte> Utf8 { get; init; }

    /// <summary>MD5 of <see cref="Utf8"/>, 32 lower-case hex digits: the value Diamond and Nacos clients compare.</summary>
    public required string Md5 { get; init; }

    /// <summary>The content's format.</summary>
    public ConfigType Type { get; init; }

    /// <summary>A free description.</summary>
    public string? Description { get; init; }

    /// <summary>Tags, for search.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The application the config belongs to (Nacos's appName).</summary>
    public string? App { get; init; }

    /// <summary>Encrypted at rest (marked secret, or a dataId starting <c>cipher-</c>).</summary>
    public bool Secret { get; init; }

    /// <summary>The store revision of the last change of this config: unique across the store, and only growing.</summary>
    public long Revision { get; init; }

    /// <summary>When the config was first created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it last changed (Diamond's <c>Last-Modified</c>).</summary>
    public DateTimeOffset ModifiedAt { get; init; }

    /// <summary>Who last changed it.</summary>
    public string? ModifiedBy { get; init; }

    /// <summary>The client address of the last change.</summary>
    public string? ModifiedFromIp { get; init; }

    /// <summary>True when this is the gray (beta) content served to a matching client.</summary>
    public bool IsBeta { get; init; }
}
