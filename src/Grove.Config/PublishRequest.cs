using Grove.Identity;

namespace Grove.Config;

/// <summary>A publish: the new content and metadata of one config.</summary>
public sealed record PublishRequest
{
    /// <summary>The config.</summary>
    public required ConfigKey Key { get; init; }

    /// <summary>The new content (at most <see cref="ConfigOptions.MaxContentBytes"/> in UTF-8).</summary>
    public required string Content { get; init; }

    /// <summary>The format; null keeps the current type (text for a new config). Validated unless text or html.</summary>
    public ConfigType? Type { get; init; }

    /// <summary>Description; null keeps the current one.</summary>
    public string? Description { get; init; }

    /// <summary>Tags; null keeps the current ones.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Application name; null keeps the current one.</summary>
    public string? App { get; init; }

    /// <summary>Encrypt at rest; null keeps the current flag. A dataId starting <c>cipher-</c> is always secret.</summary>
    public bool? Secret { get; init; }

    /// <summary>Create, update or both.</summary>
    public PublishMode Mode { get; init; } = PublishMode.Upsert;

    /// <summary>
    /// Compare-and-swap: publish only if the current content has this MD5 (Nacos's casMd5); <c>conflict</c> otherwise.
    /// </summary>
    public string? IfMd5 { get; init; }

    /// <summary>Who publishes; checked when not null (see <see cref="ConfigOptions.EditorGroup"/>) and recorded in history.</summary>
    public Principal? Actor { get; init; }

    /// <summary>The client address, recorded in history and the audit log.</summary>
    public string? ClientIp { get; init; }
}
