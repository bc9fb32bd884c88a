using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Grove.Messages.Internal.Mapping;

/// <summary>A YAML document as a JSON node: plain scalars that read as booleans or numbers become those, the rest strings.</summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new MessageException(MessageErrorCode.InvalidMapping, $"the mapping is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}")
            {
                Line = (int)e.Start.Line,
                Column = (int)e.Start.Column,
            };
        }

        return stream.Documents.Count == 0 ? null : Node(stream.Documents[0].RootNode, 0);
    }

    private static JsonNode? Node(YamlNode node, int depth)
    {
        if (depth > 64)
        {
            throw new MessageException(MessageErrorCode.InvalidMapping, "the mapping nests deeper than 64 levels");
        }

        switch (node)
        {
            case YamlMappingNode map:
                var o = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    o[((YamlScalarNode)k).Value ?? ""] = Node(v, depth + 1);
                }

                return o;
            case YamlSequenceNode seq:
                var a = new JsonArray();
                foreach (var item in seq.Children)
                {
                    a.Add(Node(item, depth + 1));
                }

                return a;
            case YamlScalarNode s:
                return Scalar(s);
            default:
                return null;
        }
    }

    private static JsonValue? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(v);
        }

        return v switch
        {
            "" or "~" or "null" => null,
            "true" or "True" => JsonValue.Create(true),
            "false" or "False" => JsonValue.Create(false),
            _ when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ => JsonValue.Create(v),
        };
    }
}
