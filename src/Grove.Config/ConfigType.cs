namespace Grove.Config;

/// <summary>The format of a config's content, as Nacos names them; json, yaml, xml and properties are validated on publish.</summary>
public enum ConfigType
{
    /// <summary>Plain text (the default).</summary>
    Text,

    /// <summary>JSON.</summary>
    Json,

    /// <summary>YAML (one or more documents).</summary>
    Yaml,

    /// <summary>Java properties.</summary>
    Properties,

    /// <summary>XML.</summary>
    Xml,

    /// <summary>HTML (not validated).</summary>
    Html,
}
