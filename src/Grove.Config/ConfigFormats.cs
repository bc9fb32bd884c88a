using Grove.Config.Internal;

namespace Grove.Config;

/// <summary>Checks that content parses as its type: json, yaml, xml and properties; text and html pass as they are.</summary>
public static class ConfigFormats
{
    /// <summary>Throws when <paramref name="content"/> does not parse as <paramref name="type"/>.</summary>
    /// <exception cref="ConfigException">
    /// <c>invalid_format</c> with <see cref="ConfigException.Line"/> and <see cref="ConfigException.Column"/> (1-based) where known.
    /// </exception>
    public static void Validate(ConfigType type, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        switch (type)
        {
            case ConfigType.Json:
                FormatChecks.Json(content);
                break;
            case ConfigType.Yaml:
                FormatChecks.Yaml(content);
                break;
            case ConfigType.Xml:
                FormatChecks.Xml(content);
                break;
            case ConfigType.Properties:
                FormatChecks.Properties(content);
                break;
            default:
                break;
        }
    }
}
