namespace Grove.Client.Configuration;

/// <summary>One config the provider loads: where it is, and where its keys go in the configuration.</summary>
public sealed record GroveConfigSelection
{
    /// <summary>The group.</summary>
    public required string Group { get; init; }

    /// <summary>The dataId; its type (json, yaml, properties, xml, text) decides how it becomes keys.</summary>
    public required string DataId { get; init; }

    /// <summary>The section its keys go under (e.g. <c>Shop</c> gives <c>Shop:Db:Url</c>); null puts them at the root. A text config's whole content becomes the key named by this (or by the dataId).</summary>
    public string? Section { get; init; }

    /// <summary>When true, a config that does not exist (and is in no snapshot) gives no keys instead of failing the start.</summary>
    public bool Optional { get; init; }
}
