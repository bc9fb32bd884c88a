using System.Text.Json;
using Grove.Records;

namespace Grove.Server.Endpoints.Records;

/// <summary>The JSON shapes of the records routes.</summary>
internal static class RecordJson
{
    // Note that a row is immutable and the hot cache hands out one instance per version of a row: its serialized form
    // can live as long as the instance, and a changed row (a new instance) is serialized afresh.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RecordRow, byte[]> Serialized = [];

    /// <summary>The row's JSON (<see cref="WriteRow"/>) in UTF-8, serialized once per row instance.</summary>
    public static byte[] RowBytes(RecordRow row) =>
        Serialized.TryGetValue(row, out var bytes) ? bytes : Serialized.GetValue(row, r => Grove.Server.Internal.JsonOut.Serialize(w => WriteRow(w, r)));

    public static void WriteRow(Utf8JsonWriter w, RecordRow row)
    {
        w.WriteStartObject();
        foreach (var (k, v) in row)
        {
            w.WritePropertyName(k);
            if (v is null)
            {
                w.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(w, v, v.GetType());
            }
        }

        w.WriteEndObject();
    }

    public static void WritePage(Utf8JsonWriter w, RecordPage page)
    {
        w.WriteStartObject();
        w.WriteStartArray("items");
        foreach (var row in page.Items)
        {
            WriteRow(w, row);
        }

        w.WriteEndArray();
        w.WriteString("next", page.Next);
        if (page.Total is { } total)
        {
            w.WriteNumber("total", total);
        }

        w.WriteEndObject();
    }

    public static void WriteInfo(Utf8JsonWriter w, RecordSetInfo info)
    {
        w.WriteStartObject();
        w.WriteString("name", info.Name);
        w.WriteNumber("revision", info.Revision);
        w.WritePropertyName("mapping");
        w.WriteRawValue(info.Mapping.ToJson());
        w.WriteStartArray("tables");
        foreach (var t in info.Tables)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("kind", t.Kind switch { RecordTableKind.Main => "main", RecordTableKind.Partition => "partition", _ => "history" });
            w.WriteNumber("seq", t.Seq);
            w.WriteNumber("moved", t.Moved);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static Dictionary<string, object?> Row(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object
            ? e.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : throw new RecordsException(RecordsErrorCode.InvalidArgument, "a row is a JSON object of field names");

    public static RecordQuery Query(JsonElement e) => new()
    {
        Where = e.TryGetProperty("where", out var where) && where.ValueKind != JsonValueKind.Null ? where.Clone() : null,
        Sort = Strings(e, "sort"),
        Fields = Strings(e, "fields"),
        History = e.TryGetProperty("history", out var h) && h.ValueKind != JsonValueKind.Null
            ? (h.ValueKind == JsonValueKind.String && h.GetString() == "all" ? null : h.TryGetInt32(out var n) ? n : throw Bad("history is a number or \"all\""))
            : null,
        Limit = Int(e, "limit"),
        Page = Int(e, "page"),
        After = e.TryGetProperty("after", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null,
        Count = e.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.True,
    };

    private static int? Int(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : throw Bad($"{name} is an integer");

    private static List<string>? Strings(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            return [.. v.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String)
            ? [.. v.EnumerateArray().Select(x => x.GetString()!)]
            : throw Bad($"{name} is a list of field names");
    }

    private static RecordsException Bad(string message) => new(RecordsErrorCode.InvalidQuery, message);
}
