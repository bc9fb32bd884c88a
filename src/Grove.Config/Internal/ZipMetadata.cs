namespace Grove.Config.Internal;

/// <summary>The <c>.metadata.yml</c> of an export, in Nacos 2's layout (with Grove's secret flags beside).</summary>
internal sealed class ZipMetadata
{
    public const string FileName = ".metadata.yml";

    public List<ZipMetadataItem> Metadata { get; set; } = [];
}

/// <summary>One config's line in <c>.metadata.yml</c>.</summary>
internal sealed class ZipMetadataItem
{
    public string? Group { get; set; }

    public string? DataId { get; set; }

    public string? Type { get; set; }

    public string? Desc { get; set; }

    public string? AppName { get; set; }

    public string? ConfigTags { get; set; }

    public bool? Secret { get; set; }

    public bool? Sealed { get; set; }

    /// <summary>The key a sealed body is bound to (<c>tenant/group/dataId</c>), so it opens after a move to another namespace.</summary>
    public string? SealedFor { get; set; }
}
