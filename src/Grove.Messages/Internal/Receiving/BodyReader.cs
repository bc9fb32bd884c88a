using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace Grove.Messages.Internal.Receiving;

/// <summary>
/// Parses a partner's body into one JSON-shaped tree: JSON as is; XML with elements as objects (repeated elements as
/// arrays, attributes as <c>@name</c>, text beside children as <c>#text</c>, a text-only element as its text), the
/// root element's local name as the one top-level key. DTDs are refused, never expanded; nothing is fetched.
/// </summary>
internal static class BodyReader
{
    private const int MaxDepth = 64;

    public static JsonNode Parse(ReadOnlyMemory<byte> body, SourceFormat format, int limit)
    {
        if (body.Length > limit)
        {
            throw new MessageException(MessageErrorCode.TooLarge, $"the body is {body.Length} bytes, over the limit of {limit}") { Limit = limit };
        }

        return format == SourceFormat.Json ? Json(body) : Xml(body);
    }

    /// <summary>Parses a JSON body into a pooled document (the receiving path: no node tree).</summary>
    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> body)
    {
        try
        {
            var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (doc.RootElement.ValueKind == JsonValueKind.Null)
            {
                doc.Dispose();
                throw new MessageException(MessageErrorCode.InvalidBody, "the body is JSON null, not a document") { Line = 1, Column = 1 };
            }

            return doc;
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    private static MessageException Invalid(JsonException e)
    {
        var line = (int)(e.LineNumber ?? 0) + 1;
        var column = (int)(e.BytePositionInLine ?? 0) + 1;
        return new MessageException(MessageErrorCode.InvalidBody, $"the body is not valid JSON at line {line}, column {column}: {e.Message}", e)
        {
            Line = line,
            Column = column,
        };
    }

    private static JsonNode Json(ReadOnlyMemory<byte> body)
    {
        try
        {
            var node = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
            return node ?? throw new MessageException(MessageErrorCode.InvalidBody, "the body is JSON null, not a document") { Line = 1, Column = 1 };
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    private static JsonNode Xml(ReadOnlyMemory<byte> body)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            MaxCharactersFromEntities = 0,
        };
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            reader.MoveToContent();
            var root = new JsonObject();
            root[reader.LocalName] = Element(reader, 0);
            return root;
        }
        catch (XmlException e)
        {
            var dtd = e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase);
            var why = dtd ? "an XML body with a DTD or entity declarations is refused (never expanded)" : "the body is not valid XML";
            throw new MessageException(MessageErrorCode.InvalidBody, $"{why} at line {e.LineNumber}, column {e.LinePosition}: {e.Message}", e)
            {
                Line = e.LineNumber,
                Column = e.LinePosition,
            };
        }
    }

    /// <summary>Reads the element the reader is on, leaving the reader after its end.</summary>
    private static JsonNode? Element(XmlReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new MessageException(MessageErrorCode.InvalidBody, $"the XML nests deeper than {MaxDepth} levels") { Line = (reader as IXmlLineInfo)?.LineNumber };
        }

        JsonObject? obj = null;
        if (reader.HasAttributes)
        {
            obj = [];
            while (reader.MoveToNextAttribute())
            {
                if (reader.Prefix != "xmlns" && reader.LocalName != "xmlns")
                {
                    obj["@" + reader.LocalName] = reader.Value;
                }
            }

            reader.MoveToElement();
        }

        if (reader.IsEmptyElement)
        {
            reader.Read();
            return obj is { Count: > 0 } ? obj : JsonValue.Create("");
        }

        reader.Read();
        StringBuilder? text = null;
        while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    obj ??= [];
                    var name = reader.LocalName;
                    var child = Element(reader, depth + 1);
                    if (obj.TryGetPropertyValue(name, out var existing))
                    {
                        if (existing is JsonArray arr)
                        {
                            arr.Add(child);
                        }
                        else
                        {
                            obj.Remove(name);
                            obj[name] = new JsonArray(existing, child);
                        }
                    }
                    else
                    {
                        obj[name] = child;
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    (text ??= new StringBuilder()).Append(reader.Value);
                    reader.Read();
                    break;
                default:
                    reader.Read();
                    break;
            }
        }

        reader.Read();
        if (obj is null)
        {
            return JsonValue.Create(text?.ToString() ?? "");
        }

        if (text is not null)
        {
            obj["#text"] = text.ToString();
        }

        return obj;
    }
}
