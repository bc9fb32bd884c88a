using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Grove.Client.Internal;

/// <summary>Small JSON request bodies written with a <see cref="Utf8JsonWriter"/>.</summary>
internal static class JsonBody
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public static ByteArrayContent Create(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            write(w);
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = Json;
        return content;
    }

    /// <summary>Writes any value: a <see cref="JsonElement"/> as is, a string as JSON text, anything else serialized.</summary>
    public static void WriteValue(Utf8JsonWriter w, object? value, bool stringIsJson)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case JsonElement e:
                e.WriteTo(w);
                break;
            case JsonDocument d:
                d.RootElement.WriteTo(w);
                break;
            case string s when stringIsJson:
                using (var doc = JsonDocument.Parse(s))
                {
                    doc.RootElement.WriteTo(w);
                }

                break;
            default:
                JsonSerializer.Serialize(w, value, value.GetType(), JsonSerializerOptions.Web);
                break;
        }
    }
}
