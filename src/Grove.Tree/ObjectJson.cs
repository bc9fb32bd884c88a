using System.Text.Json;

namespace Grove.Tree;

/// <summary>
/// A <see cref="TreeObject"/> in the wire form: the short built-in keys (<c>id pid nm race tp mime len sha256 mnt ln
/// lbls c m g md ct lm expi v ph</c>) with the custom keys flattened beside them. Absent optional values are omitted.
/// </summary>
public static class ObjectJson
{
    /// <summary>Writes the object as one JSON object.</summary>
    public static void Write(Utf8JsonWriter w, TreeObject o)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(o);
        w.WriteStartObject();
        w.WriteString("id", o.Id);
        w.WriteString("pid", o.ParentId);
        w.WriteString("nm", o.Name);
        w.WriteString("race", o.IsDir ? "DIR" : "FILE");
        OptionalString(w, "tp", o.Type);
        OptionalString(w, "mime", o.Mime);
        w.WriteNumber("len", o.Length);
        OptionalString(w, "sha256", o.Sha256);
        OptionalString(w, "mnt", o.Mount);
        OptionalString(w, "ln", o.Link);
        if (o.Labels.Count > 0)
        {
            w.WriteStartArray("lbls");
            foreach (var label in o.Labels)
            {
                w.WriteStringValue(label);
            }

            w.WriteEndArray();
        }

        OptionalString(w, "c", o.Creator);
        OptionalString(w, "m", o.Modifier);
        OptionalString(w, "g", o.Group);
        w.WriteNumber("md", o.Mode);
        w.WriteNumber("ct", o.Created);
        w.WriteNumber("lm", o.Modified);
        if (o.Expires is { } expi)
        {
            w.WriteNumber("expi", expi);
        }

        w.WriteNumber("v", o.Version);
        OptionalString(w, "ph", o.Path);
        if (o.Meta.Count > 0)
        {
            foreach (var (key, value) in o.Meta.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(key);
                value.WriteTo(w);
            }
        }

        w.WriteEndObject();
    }

    /// <summary>The object as compact JSON text.</summary>
    public static string ToJson(TreeObject o)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(w, o);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads the wire form back from UTF-8 in one pass; custom metadata and labels stay JSON text until first asked
    /// for (a page of rows costs one scan of their bytes). Same result as <see cref="Read(JsonElement)"/>.
    /// </summary>
    public static TreeObject Read(ReadOnlySpan<byte> utf8) => Internal.ObjectJsonReader.Read(utf8);

    /// <summary>Reads the wire form back (what a remote backend receives); unknown keys become custom metadata.</summary>
    public static TreeObject Read(JsonElement e)
    {
        var meta = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!TreeObject.BuiltInKeys.Contains(p.Name))
            {
                meta[p.Name] = p.Value.Clone();
            }
        }

        return new TreeObject
        {
            Id = Text(e, "id") ?? "",
            ParentId = Text(e, "pid") ?? "",
            Name = Text(e, "nm") ?? "",
            Race = Text(e, "race") == "DIR" ? ObjectRace.Dir : ObjectRace.File,
            Type = Text(e, "tp"),
            Mime = Text(e, "mime"),
            Length = Number(e, "len") ?? 0,
            Sha256 = Text(e, "sha256"),
            Mount = Text(e, "mnt"),
            Link = Text(e, "ln"),
            Labels = e.TryGetProperty("lbls", out var l) && l.ValueKind == JsonValueKind.Array
                ? l.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : [],
            Creator = Text(e, "c"),
            Modifier = Text(e, "m"),
            Group = Text(e, "g"),
            Mode = (int)(Number(e, "md") ?? 0),
            Created = Number(e, "ct") ?? 0,
            Modified = Number(e, "lm") ?? 0,
            Expires = Number(e, "expi"),
            Version = Number(e, "v") ?? 0,
            Path = Text(e, "ph"),
            Meta = meta,
        };
    }

    private static void OptionalString(Utf8JsonWriter w, string key, string? value)
    {
        if (value is not null)
        {
            w.WriteString(key, value);
        }
    }

    private static string? Text(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
