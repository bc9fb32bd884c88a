namespace Grove.Client;

/// <summary>How to publish a config; every property left null keeps the config's current value (text for a new one).</summary>
public sealed class GroveConfigPublishOptions
{
    /// <summary>The format (<c>text</c>, <c>json</c>, <c>yaml</c>, <c>properties</c>, <c>xml</c>, <c>html</c>); json, yaml, xml and properties are validated.</summary>
    public string? Type { get; set; }

    /// <summary>A description.</summary>
    public string? Description { get; set; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>The application name.</summary>
    public string? App { get; set; }

    /// <summary>Encrypt at rest (a dataId starting <c>cipher-</c> always is).</summary>
    public bool? Secret { get; set; }

    /// <summary>Publish only if the current content has this MD5 (<c>conflict</c> otherwise): no lost updates.</summary>
    public string? IfMd5 { get; set; }

    /// <summary>Only create: <c>conflict</c> when the config exists.</summary>
    public bool CreateOnly { get; set; }
}
