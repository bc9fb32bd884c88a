namespace Grove.Config;

/// <summary>Names of <see cref="ConfigType"/> on the wire (lower case, as Nacos sends them).</summary>
public static class ConfigTypes
{
    /// <summary>The wire name: <c>text</c>, <c>json</c>, <c>yaml</c>, <c>properties</c>, <c>xml</c>, <c>html</c>.</summary>
    public static string Name(ConfigType type) => type switch
    {
        ConfigType.Json => "json",
        ConfigType.Yaml => "yaml",
        ConfigType.Properties => "properties",
        ConfigType.Xml => "xml",
        ConfigType.Html => "html",
        _ => "text",
    };

    /// <summary>Parses a wire name, ignoring case (<c>yml</c> is yaml); null or empty gives <paramref name="fallback"/>.</summary>
    /// <exception cref="ConfigException"><c>invalid_argument</c> for an unknown name.</exception>
    public static ConfigType Parse(string? name, ConfigType fallback = ConfigType.Text) =>
        string.IsNullOrWhiteSpace(name) ? fallback : TryParse(name) ?? throw ConfigException.Invalid($"unknown config type '{name}'; use text, json, yaml, properties, xml or html");

    /// <summary>The type of a wire name, or null when unknown.</summary>
    public static ConfigType? TryParse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "text" or "txt" => ConfigType.Text,
        "json" => ConfigType.Json,
        "yaml" or "yml" => ConfigType.Yaml,
        "properties" => ConfigType.Properties,
        "xml" => ConfigType.Xml,
        "html" or "htm" => ConfigType.Html,
        _ => null,
    };

    /// <summary>The type a dataId's extension suggests (<c>app.yaml</c> is yaml); text without a known one.</summary>
    public static ConfigType FromDataId(string dataId)
    {
        ArgumentNullException.ThrowIfNull(dataId);
        var dot = dataId.LastIndexOf('.');
        return dot < 0 ? ConfigType.Text : TryParse(dataId[(dot + 1)..]) ?? ConfigType.Text;
    }
}
