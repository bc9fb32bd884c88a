namespace Grove.Config.Internal;

/// <summary>The metadata file beside a dumped config (<c>config-dump.meta/…/&lt;dataId&gt;.json</c>).</summary>
internal sealed record DumpMeta
{
    public string Tenant { get; init; } = "";

    public string Group { get; init; } = "";

    public string DataId { get; init; } = "";

    public DumpMain? Main { get; init; }

    public DumpBeta? Beta { get; init; }
}

/// <summary>The released config's metadata; its body is the content file.</summary>
internal sealed record DumpMain(
    long Rev, string Type, string? Description, IReadOnlyList<string> Tags, string? App, bool Secret, bool Sealed,
    long Created, string? CreatedBy, long Modified, string? ModifiedBy, string? Ip);

/// <summary>The beta, body included (base64; sealed for secrets).</summary>
internal sealed record DumpBeta(long Rev, byte[] Body, bool Sealed, IReadOnlyList<string> Ips, IReadOnlyList<string> Labels, long Modified, string? ModifiedBy);
