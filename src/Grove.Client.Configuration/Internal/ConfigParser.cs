namespace Grove.Client.Configuration.Internal;

/// <summary>Turns a config's content into configuration keys by its type; keys use ':' between sections and ignore case.</summary>
internal static class ConfigParser
{
    /// <exception cref="FormatException">The content does not parse as its type (the message says where).</exception>
    public static Dictionary<string, string?> Parse(string type, string content, GroveConfigSelection selection, bool dotsAsSections)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var prefix = string.IsNullOrEmpty(selection.Section) ? "" : selection.Section + ":";
        switch (type)
        {
            case "json":
                JsonFlattener.Flatten(content, prefix, data);
                break;
            case "yaml":
                YamlFlattener.Flatten(content, prefix, data);
                break;
            case "xml":
                XmlFlattener.Flatten(content, prefix, data);
                break;
            case "properties":
                foreach (var (key, value) in PropertiesParser.Parse(content))
                {
                    data[prefix + (dotsAsSections ? key.Replace('.', ':') : key)] = value;
                }

                break;
            default:
                data[selection.Section ?? selection.DataId] = content;
                break;
        }

        return data;
    }
}
