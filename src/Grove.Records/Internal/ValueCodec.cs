using System.Globalization;
using System.Text.Json;

namespace Grove.Records.Internal;

/// <summary>Turns request values into database parameters and database values into row values, by field type.</summary>
internal static class ValueCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A value for the database (DBNull for null), checked against the field's type.</summary>
    public static object ToDb(RecordField f, object? value)
    {
        if (value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } || value is null)
        {
            return DBNull.Value;
        }

        try
        {
            object result = f.Type switch
            {
                RecordFieldType.String => value switch
                {
                    string s => s,
                    JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
                    JsonElement { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } e => e.GetRawText(),
                    IFormattable x => x.ToString(null, Inv),
                    bool b => b ? "true" : "false",
                    _ => throw Wrong(f, value),
                },
                RecordFieldType.Integer => checked((int)Integral(f, value)),
                RecordFieldType.Long => Integral(f, value),
                RecordFieldType.Float or RecordFieldType.Double => Real(f, value),
                RecordFieldType.Boolean => value switch
                {
                    bool b => b,
                    JsonElement { ValueKind: JsonValueKind.True } => true,
                    JsonElement { ValueKind: JsonValueKind.False } => false,
                    string s when bool.TryParse(s, out var b) => b,
                    string s when s is "0" or "1" => s == "1",
                    JsonElement { ValueKind: JsonValueKind.String } e when bool.TryParse(e.GetString(), out var b) => b,
                    _ => throw Wrong(f, value),
                },
                RecordFieldType.Bytes => Bytes(f, value),
                _ => JsonText(f, value),
            };
            if (f.Unsigned && result is int or long or double && Convert.ToDouble(result, Inv) < 0)
            {
                throw RecordsException.Argument($"field '{f.Name}' is unsigned: {result} is negative", f.Name);
            }

            return result;
        }
        catch (OverflowException)
        {
            throw RecordsException.Argument($"field '{f.Name}': {value} is out of range for {f.Type}", f.Name);
        }
    }

    private static long Integral(RecordField f, object value) => value switch
    {
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        double d when d == Math.Floor(d) => checked((long)d),
        JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var l) => l,
        JsonElement { ValueKind: JsonValueKind.String } e when long.TryParse(e.GetString(), NumberStyles.Integer, Inv, out var l) => l,
        string s when long.TryParse(s, NumberStyles.Integer, Inv, out var l) => l,
        _ => throw Wrong(f, value),
    };

    private static byte[] Bytes(RecordField f, object value)
    {
        switch (value)
        {
            case byte[] b:
                return b;
            case ReadOnlyMemory<byte> m:
                return m.ToArray();
            case JsonElement { ValueKind: JsonValueKind.String } e when e.TryGetBytesFromBase64(out var b):
                return b;
            case string s:
                var buffer = new byte[s.Length * 3 / 4 + 3];
                return Convert.TryFromBase64String(s, buffer, out var n) ? buffer.AsSpan(0, n).ToArray() : throw Wrong(f, value);
            default:
                throw Wrong(f, value);
        }
    }

    private static double Real(RecordField f, object value) => value switch
    {
        double d => d,
        float x => x,
        int i => i,
        long l => l,
        decimal m => (double)m,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.String } e when double.TryParse(e.GetString(), NumberStyles.Float, Inv, out var d) => d,
        string s when double.TryParse(s, NumberStyles.Float, Inv, out var d) => d,
        _ => throw Wrong(f, value),
    };

    private static string JsonText(RecordField f, object value)
    {
        JsonElement e;
        if (value is JsonElement je)
        {
            e = je;
        }
        else if (value is string s && f.Type != RecordFieldType.JSON)
        {
            try
            {
                using var doc = JsonDocument.Parse(s);
                e = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw Wrong(f, value);
            }
        }
        else
        {
            e = JsonSerializer.SerializeToElement(value);
        }

        var ok = f.Type switch
        {
            RecordFieldType.Object => e.ValueKind == JsonValueKind.Object,
            RecordFieldType.List => e.ValueKind == JsonValueKind.Array,
            RecordFieldType.SArray => e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String),
            _ => true,
        };
        return ok ? e.GetRawText() : throw Wrong(f, value);
    }

    private static RecordsException Wrong(RecordField f, object value) =>
        RecordsException.Argument($"field '{f.Name}' is {f.Type}: {Show(value)} does not fit", f.Name);

    private static string Show(object value)
    {
        var s = value is JsonElement e ? e.GetRawText() : Convert.ToString(value, Inv) ?? "";
        return s.Length > 40 ? s[..40] + "…" : s;
    }

    /// <summary>A row value from what the database returned.</summary>
    public static object? FromDb(RecordField f, object value)
    {
        if (value is DBNull)
        {
            return null;
        }

        return f.Type switch
        {
            RecordFieldType.String => value as string ?? Convert.ToString(value, Inv),
            RecordFieldType.Integer => Convert.ToInt32(value, Inv),
            RecordFieldType.Long => Convert.ToInt64(value, Inv),
            RecordFieldType.Float => Convert.ToSingle(value, Inv),
            RecordFieldType.Double => Convert.ToDouble(value, Inv),
            RecordFieldType.Boolean => value is bool b ? b : Convert.ToInt64(value, Inv) != 0,

            // Note that SQLite keeps a value as given whatever the column's type: a text value read from a BLOB column is its UTF-8.
            RecordFieldType.Bytes => value as byte[] ?? System.Text.Encoding.UTF8.GetBytes(Convert.ToString(value, Inv) ?? ""),
            _ => ParseJson((string)value),
        };
    }

    private static JsonElement ParseJson(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>The text of a key value as it appears in bus messages and cache keys.</summary>
    public static string KeyText(object value) => value switch
    {
        string s => s,
        bool b => b ? "1" : "0",
        double d => d.ToString("R", Inv),
        IFormattable x => x.ToString(null, Inv),
        _ => value.ToString() ?? "",
    };
}
