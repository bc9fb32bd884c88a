using System.Text.Json;

namespace Grove.Client.Configuration.Internal;

/// <summary>JSON as configuration keys, the way <c>AddJsonFile</c> reads it: objects nest with ':', arrays by index.</summary>
internal static class JsonFlattener
{
    public static void Flatten(string content, string prefix, Dictionary<string, string?> data)
    {
        try
        {
            using var doc = JsonDocument.Parse(content, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("a JSON config must be an object at the top");
            }

            Visit(doc.RootElement, prefix.TrimEnd(':'), data);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    private static void Visit(JsonElement e, string path, Dictionary<string, string?> data)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var any = false;
                foreach (var p in e.EnumerateObject())
                {
                    any = true;
                    Visit(p.Value, Join(path, p.Name), data);
                }

                if (!any && path.Length > 0)
                {
                    data[path] = null;
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    Visit(item, Join(path, (i++).ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                }

                if (i == 0 && path.Length > 0)
                {
                    data[path] = null;
                }

                break;
            case JsonValueKind.Null:
                data[path] = null;
                break;
            case JsonValueKind.String:
                data[path] = e.GetString();
                break;
            default:
                data[path] = e.GetRawText();
                break;
        }
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : path + ":" + name;
}
