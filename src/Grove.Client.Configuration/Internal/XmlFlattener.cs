using System.Xml;
using System.Xml.Linq;

namespace Grove.Client.Configuration.Internal;

/// <summary>
/// XML as configuration keys, as <c>AddXmlFile</c> reads it: the root element is skipped, child elements and
/// attributes nest with ':', repeated sibling names are indexed. No DTDs (no entity expansion, no fetches).
/// </summary>
internal static class XmlFlattener
{
    public static void Flatten(string content, string prefix, Dictionary<string, string?> data)
    {
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new StringReader(content), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new FormatException($"not valid XML (line {e.LineNumber}, column {e.LinePosition}): {e.Message}", e);
        }

        if (doc.Root is { } root)
        {
            Visit(root, prefix.TrimEnd(':'), data);
        }
    }

    private static void Visit(XElement element, string path, Dictionary<string, string?> data)
    {
        foreach (var a in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
        {
            data[JsonFlattener.Join(path, a.Name.LocalName)] = a.Value;
        }

        var children = element.Elements().ToList();
        if (children.Count == 0)
        {
            if (path.Length > 0 && (element.Value.Length > 0 || !element.HasAttributes))
            {
                data[path] = element.Value;
            }

            return;
        }

        foreach (var group in children.GroupBy(c => c.Name.LocalName, StringComparer.OrdinalIgnoreCase))
        {
            var list = group.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                var name = list.Count == 1 ? group.Key : group.Key + ":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Visit(list[i], JsonFlattener.Join(path, name), data);
            }
        }
    }
}
