namespace Grove.Client;

/// <summary>What names a config on a Grove server: group and dataId (1 to 256 of <c>A-Z a-z 0-9 _ . : -</c>) in a namespace (tenant; empty is the default one).</summary>
/// <param name="Group">The group, e.g. <c>DEFAULT_GROUP</c>.</param>
/// <param name="DataId">The dataId, e.g. <c>app.yaml</c>.</param>
/// <param name="Tenant">The namespace; empty for the default one.</param>
public readonly record struct GroveConfigKey(string Group, string DataId, string Tenant = "")
{
    /// <summary>The group Diamond and Nacos clients use when they name none.</summary>
    public const string DefaultGroup = "DEFAULT_GROUP";

    /// <summary>Parses <c>group/dataId</c> (or a bare dataId in <see cref="DefaultGroup"/>).</summary>
    public static GroveConfigKey Parse(string text, string tenant = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new GroveConfigKey(DefaultGroup, text, tenant) : new GroveConfigKey(text[..slash], text[(slash + 1)..], tenant);
    }

    /// <summary><c>group/dataId</c>, or <c>tenant/group/dataId</c> outside the default namespace.</summary>
    public override string ToString() => string.IsNullOrEmpty(Tenant) ? $"{Group}/{DataId}" : $"{Tenant}/{Group}/{DataId}";
}
