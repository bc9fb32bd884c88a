using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grove.Messages.Internal.Mapping;

/// <summary>Turns a source value into the document's typed value, or says why it cannot.</summary>
internal static class ValueConverter
{
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>The text of a scalar source node, or null when it is not a scalar.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        // Note that an XML element with attributes and text is an object whose text is "#text".
        JsonObject o when o["#text"] is JsonValue t => Text(t),
        _ => null,
    };

    /// <summary>Converts <paramref name="raw"/>; returns null and the value on success, else why it failed.</summary>
    public static string? Convert(MappingField field, string raw, out JsonNode? value)
    {
        value = null;
        switch (field.Type)
        {
            case FieldType.String:
                value = JsonValue.Create(raw);
                return null;
            case FieldType.Integer:
                if (long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    value = JsonValue.Create(l);
                    return null;
                }

                return $"'{Clip(raw)}' is not an integer";
            case FieldType.Decimal:
                if (decimal.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    value = JsonValue.Create(d);
                    return null;
                }

                return $"'{Clip(raw)}' is not a decimal number";
            case FieldType.DateTime:
                if (ConvertDate(field, raw, out var text) is { } why)
                {
                    return why;
                }

                value = JsonValue.Create(text);
                return null;
            case FieldType.Enum:
                if (field.Labels.ContainsKey(raw))
                {
                    value = JsonValue.Create(raw);
                    return null;
                }

                return $"'{Clip(raw)}' is not one of {string.Join(", ", field.Labels.Keys.Take(20))}";
            default:
                return "unknown type";
        }
    }

    /// <summary>Converts a date-time to its stored text (UTC, <see cref="DateTimeFormat"/>); returns null on success, else why it failed.</summary>
    public static string? ConvertDate(MappingField field, string raw, out string text)
    {
        if (field.Format is null && IsoDate.TryParse(raw.AsSpan().Trim(), field.Offset, out var iso))
        {
            text = IsoDate.Format(iso);
            return null;
        }

        if (ParseDate(field, raw.Trim()) is { } t)
        {
            text = t.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
            return null;
        }

        text = "";
        return field.Format is null ? $"'{Clip(raw)}' is not an ISO 8601 date-time" : $"'{Clip(raw)}' is not a date-time of format {field.Format}";
    }

    /// <summary>How a stored value is shown: an enum's label, a date-time in the field's offset.</summary>
    public static string Display(MappingField field, JsonNode? value)
    {
        var text = Text(value) ?? "";
        return field.Type switch
        {
            FieldType.Enum when field.Labels.TryGetValue(text, out var label) => label,
            FieldType.DateTime when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) =>
                t.ToOffset(field.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            _ => text,
        };
    }

    private static DateTimeOffset? ParseDate(MappingField field, string raw)
    {
        if (field.Format is { } f)
        {
            if (DateTime.TryParseExact(raw, f, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), field.Offset);
            }

            return null;
        }

        if (!DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dt))
        {
            return null;
        }

        return dt.Kind switch
        {
            DateTimeKind.Utc => new DateTimeOffset(dt, TimeSpan.Zero),
            DateTimeKind.Local => DateTimeOffset.Parse(raw, CultureInfo.InvariantCulture),
            _ => new DateTimeOffset(dt, field.Offset),
        };
    }

    /// <summary>A value cut to 40 characters for an error message.</summary>
    public static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
