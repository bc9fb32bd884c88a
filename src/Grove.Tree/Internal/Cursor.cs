using System.Buffers.Text;
using System.Text.Json;

namespace Grove.Tree.Internal;

/// <summary>
/// Page cursors: the sort values of a page's last row as a compact JSON array in base64url. Opaque to clients;
/// nothing in one is trusted beyond being plain values of the right count.
/// </summary>
internal static class Cursor
{
    private const int MaxLength = 16 * 1024;

    /// <summary>Encodes plain values (string, long, double, bool, null; other integers and floats are widened).</summary>
    public static string Encode(IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var v in values)
            {
                WriteValue(w, Scalars.Operand("cursor", v));
            }

            w.WriteEndArray();
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>Decodes a cursor into exactly <paramref name="expectedCount"/> plain values, or throws "bad cursor".</summary>
    public static IReadOnlyList<object?> Decode(string cursor, int expectedCount)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > MaxLength)
        {
            throw Bad();
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(cursor);
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() != expectedCount)
            {
                throw Bad();
            }

            return doc.RootElement.EnumerateArray().Select(ReadValue).ToArray();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Bad(e);
        }
    }

    private static void WriteValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case bool b: w.WriteBooleanValue(b); break;
            default: throw new ArgumentException($"not a plain value: {v.GetType().Name}", nameof(v));
        }
    }

    private static object? ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when e.TryGetInt64(out var l) => l,
        JsonValueKind.Number when e.TryGetDouble(out var d) && double.IsFinite(d) => d,
        _ => throw Bad(),
    };

    private static TreeException Bad(Exception? inner = null) => FilterError.Invalid("bad cursor", inner);
}
