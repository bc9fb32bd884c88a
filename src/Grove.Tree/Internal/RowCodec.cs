using System.Data.Common;
using System.Text.Json;

namespace Grove.Tree.Internal;

/// <summary>Maps <see cref="TreeObject"/> to the <c>obj</c> table's columns, shared by the SQL indexers.</summary>
internal static class RowCodec
{
    /// <summary>The stored columns, in the order <see cref="Read"/> expects (then the inline length, then optionally inl).</summary>
    public const string Columns = "id,pid,nm,race,tp,mime,len,sha256,mnt,ln,lbls,c,m,g,md,ct,lm,expi,v,bk,meta,wtok,wexp";

    public static readonly string[] ColumnNames = Columns.Split(',');

    public static TreeObject Read(DbDataReader r, bool withInline)
    {
        var inlineLength = r.IsDBNull(23) ? (long?)null : r.GetInt64(23);
        return new TreeObject
        {
            Id = r.GetString(0),
            ParentId = r.GetString(1),
            Name = r.GetString(2),
            Race = (ObjectRace)r.GetInt32(3),
            Type = Str(r, 4),
            Mime = Str(r, 5),
            Length = r.GetInt64(6),
            Sha256 = Str(r, 7),
            Mount = Str(r, 8),
            Link = Str(r, 9),
            LabelsJson = r.IsDBNull(10) ? null : r.GetString(10),
            Creator = Str(r, 11),
            Modifier = Str(r, 12),
            Group = Str(r, 13),
            Mode = r.GetInt32(14),
            Created = r.GetInt64(15),
            Modified = r.GetInt64(16),
            Expires = r.IsDBNull(17) ? null : r.GetInt64(17),
            Version = r.GetInt64(18),
            Bucket = Str(r, 19),
            MetaJson = r.IsDBNull(20) ? null : r.GetString(20),
            WriteToken = r.IsDBNull(21) ? null : r.GetInt64(21),
            WriteLeaseUntil = r.IsDBNull(22) ? 0 : r.GetInt64(22),
            IsInline = inlineLength is not null,
            Inline = withInline && inlineLength is not null ? (byte[])r.GetValue(24) : null,
        };
    }

    /// <summary>The value of each stored column, in <see cref="Columns"/> order.</summary>
    public static object?[] Values(TreeObject o) =>
    [
        o.Id, o.ParentId, o.Name, (int)o.Race, o.Type, o.Mime, o.Length, o.Sha256, o.Mount, o.Link,
        o.LabelsJson ?? (o.Labels.Count == 0 ? null : JsonSerializer.Serialize(o.Labels)),
        o.Creator, o.Modifier, o.Group, o.Mode, o.Created, o.Modified, o.Expires, o.Version, o.Bucket,
        o.MetaJson ?? (o.Meta.Count == 0 ? null : SerializeMeta(o.Meta)),
        o.WriteToken, o.WriteToken is null ? null : o.WriteLeaseUntil,
    ];

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static IReadOnlyList<string> ParseLabels(string json) =>
        JsonSerializer.Deserialize<string[]>(json) ?? [];

    public static IReadOnlyDictionary<string, JsonElement> ParseMeta(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            d[p.Name] = p.Value.Clone();
        }

        return d;
    }

    public static string SerializeMeta(IReadOnlyDictionary<string, JsonElement> meta)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (k, v) in meta.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(k);
                v.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
