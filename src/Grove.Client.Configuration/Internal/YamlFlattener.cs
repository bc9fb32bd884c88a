using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Grove.Client.Configuration.Internal;

/// <summary>YAML (every document, in order) as configuration keys: mappings nest with ':', sequences by index.</summary>
internal static class YamlFlattener
{
    public static void Flatten(string content, string prefix, Dictionary<string, string?> data)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlException e)
        {
            throw new FormatException($"not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}", e);
        }

        foreach (var doc in stream.Documents)
        {
            Visit(doc.RootNode, prefix.TrimEnd(':'), data);
        }
    }

    private static void Visit(YamlNode node, string path, Dictionary<string, string?> data)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    Visit(v, JsonFlattener.Join(path, ((YamlScalarNode)k).Value ?? ""), data);
                }

                if (map.Children.Count == 0 && path.Length > 0)
                {
                    data[path] = null;
                }

                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    Visit(seq.Children[i], JsonFlattener.Join(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                }

                break;
            case YamlScalarNode scalar:
                var plainNull = scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" or "Null" or "NULL" or "";
                data[path] = plainNull ? null : scalar.Value;
                break;
            default:
                break;
        }
    }
}
