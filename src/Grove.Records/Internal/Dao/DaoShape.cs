using System.Globalization;
using System.Text.Json;
using Grove.Tree;

namespace Grove.Records.Internal.Dao;

/// <summary>
/// How a record set's rows are tree objects in a <c>dao(Name)</c> mount (seed 003's DaoIndexer): each built-in object
/// key maps to the field <c>objKeys</c> names, or to the field of the same name when <c>objKeys</c> does not list it
/// (the seed's rule); every other field is a custom metadata key of the same name.
/// </summary>
internal sealed class DaoShape
{
    private static readonly string[] TreeKeys = ["id", "pid", "nm", "race", "tp", "mime", "len", "sha256", "c", "m", "g", "md", "ct", "lm", "expi", "lbls", "bk"];
    private const int FileMode = 0b110_100_100;
    private const int DirMode = 0b111_101_101;
    private readonly Dictionary<string, RecordField> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordField> _meta = new(StringComparer.Ordinal);

    private DaoShape(CompiledSet set, string bucket)
    {
        Set = set;
        Bucket = bucket;
        foreach (var key in TreeKeys)
        {
            var name = set.Mapping.ObjKeys.GetValueOrDefault(key)
                ?? (key == "sha256" ? set.Mapping.ObjKeys.GetValueOrDefault("sha1") : null)
                ?? (set.ByName.ContainsKey(key) ? key : key == "sha256" && set.ByName.ContainsKey("sha1") ? "sha1" : null);
            if (name is not null && set.ByName.TryGetValue(name, out var f))
            {
                _byKey[key] = f;
            }
        }

        Id = set.Pks[0];
        Name = _byKey.GetValueOrDefault("nm") ?? Id;
        foreach (var f in set.Fields.Where(f => f != Id && !_byKey.ContainsValue(f) && !TreeObject.BuiltInKeys.Contains(f.Name)))
        {
            _meta[f.Name] = f;
        }
    }

    public CompiledSet Set { get; }

    /// <summary>The key field: a row's id is its value as text.</summary>
    public RecordField Id { get; }

    /// <summary>The field holding names (the key itself when <c>objKeys.nm</c> is not mapped).</summary>
    public RecordField Name { get; }

    public RecordField? Field(string treeKey) => _byKey.GetValueOrDefault(treeKey);

    /// <summary>The bucket that holds rows' content (the mount's storage).</summary>
    public string Bucket { get; }

    /// <summary>Whether names are the key (a rename would change the key).</summary>
    public bool NamesAreKeys => Name == Id;

    /// <summary>The shape of a set, or the reason it cannot be mounted (<c>invalid_mount</c>).</summary>
    public static DaoShape Create(CompiledSet set, string bucket)
    {
        string Bad(string why) => throw new TreeException(TreeErrorCode.InvalidMount, $"record set '{set.Name}' cannot be mounted: {why}");
        if (set.Pks.Count != 1)
        {
            Bad($"a dao mount needs a key of one field (its objects' ids); the key is ({string.Join(", ", set.Mapping.Pks)})");
        }

        if (set.Template.IsDynamic)
        {
            Bad($"its table name '{set.Mapping.TableName}' spreads rows over tables; a dao mount needs a static table name");
        }

        if (set.Pks[0].IsJsonText || set.Pks[0].Type is RecordFieldType.Float or RecordFieldType.Double or RecordFieldType.Boolean)
        {
            Bad($"its key field '{set.Pks[0].Name}' is {set.Pks[0].Type}; ids are String, Integer or Long");
        }

        if (set.Mapping.ObjKeys.TryGetValue("id", out var id) && id != set.Pks[0].Name)
        {
            Bad($"objKeys.id names '{id}', but ids are the key field '{set.Pks[0].Name}'");
        }

        var shape = new DaoShape(set, bucket);
        if (shape.Name != shape.Id && (!shape.Name.NotNull || shape.Name.IsJsonText))
        {
            Bad($"names come from field '{shape.Name.Name}' (objKeys.nm), which must be notNull and of a plain type so listings page by it");
        }

        return shape;
    }

    /// <summary>A row as a tree object (local ids).</summary>
    public TreeObject ToObject(RecordRow r)
    {
        var race = Text(r, "race");
        var isDir = string.Equals(race, "DIR", StringComparison.OrdinalIgnoreCase);
        var sha = Text(r, "sha256");
        var len = Number(r, "len") ?? 0;
        var meta = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, _) in _meta)
        {
            if (r.TryGetValue(name, out var v) && v is not null)
            {
                meta[name] = v is JsonElement e ? e : JsonSerializer.SerializeToElement(v);
            }
        }

        var name0 = r[Name.Name] is { } n ? ValueCodec.KeyText(n) : "";
        return new TreeObject
        {
            Id = ValueCodec.KeyText(r[Id.Name]!),
            ParentId = Text(r, "pid") ?? "",
            Name = name0,
            Race = isDir ? ObjectRace.Dir : ObjectRace.File,
            Type = Text(r, "tp") ?? (isDir ? null : TreeNames.TypeOf(name0)),
            Mime = Text(r, "mime") ?? (isDir ? null : TreeNames.MimeOf(name0)),
            Length = isDir ? 0 : len,
            Sha256 = isDir || len == 0 ? null : sha,
            Bucket = isDir || len == 0 || sha is null ? null : Text(r, "bk") ?? Bucket,
            Creator = Text(r, "c"),
            Modifier = Text(r, "m"),
            Group = Text(r, "g"),
            Mode = (int)(Number(r, "md") ?? (isDir ? DirMode : FileMode)),
            Created = Number(r, "ct") ?? 0,
            Modified = Number(r, "lm") ?? Number(r, "ct") ?? 0,
            Expires = Number(r, "expi"),
            Labels = Labels(r),
            Version = Set.Version is { } ver && r[ver.Name] is { } vv ? Convert.ToInt64(vv, CultureInfo.InvariantCulture) : 1,
            Meta = meta,
        };
    }

    /// <summary>
    /// An object as a row to insert (<paramref name="expected"/> null) or to update (the version read): every mapped
    /// key and every custom metadata key, which must be a field of the set.
    /// </summary>
    public Dictionary<string, object?> ToRow(TreeObject o, long? expected)
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal) { [Id.Name] = o.Id };
        if (!NamesAreKeys)
        {
            row[Name.Name] = o.Name;
        }
        else if (o.Name != o.Id)
        {
            throw Unsupported($"names are the key field '{Id.Name}' here, so an object cannot be renamed (map objKeys.nm to another field)");
        }

        Put(row, "pid", o.ParentId.Length == 0 ? null : o.ParentId, o.ParentId.Length > 0, "objects below a row need objKeys.pid");
        Put(row, "race", o.IsDir ? "DIR" : "FILE", o.IsDir, "directories need objKeys.race");
        var content = !o.IsDir && o.Length > 0;
        Put(row, "sha256", content ? o.Sha256 : null, content, "content needs objKeys.sha256 (or sha1) and len");
        Put(row, "len", o.Length, content, "content needs objKeys.sha256 (or sha1) and len");
        Put(row, "bk", content ? o.Bucket : null, false, "");
        Put(row, "tp", o.Type, false, "");
        Put(row, "mime", o.Mime, false, "");
        Put(row, "c", o.Creator, false, "");
        Put(row, "m", o.Modifier, false, "");
        Put(row, "g", o.Group, false, "");
        Put(row, "md", o.Mode, false, "");
        Put(row, "ct", o.Created, false, "");
        Put(row, "lm", o.Modified, false, "");
        Put(row, "expi", o.Expires, o.Expires is not null, "expiry needs objKeys.expi");
        if (Field("lbls") is { } lf)
        {
            row[lf.Name] = lf.IsJsonText ? JsonSerializer.SerializeToElement(o.Labels) : string.Join(',', o.Labels);
        }
        else if (o.Labels.Count > 0)
        {
            throw Unsupported("labels need objKeys.lbls");
        }

        foreach (var (key, value) in o.Meta)
        {
            row[_meta.ContainsKey(key) ? key : throw new TreeException(TreeErrorCode.InvalidMeta, $"record set '{Set.Name}' has no field '{key}' (custom keys of a dao mount are its fields: {string.Join(", ", _meta.Keys)})")] = value;
        }

        if (expected is { } v)
        {
            foreach (var (name, f) in _meta.Where(m => !o.Meta.ContainsKey(m.Key) && !m.Value.NotNull))
            {
                row[name] = null;
            }

            if (Set.Version is { } ver)
            {
                row[ver.Name] = v;
            }
        }

        return row;
    }

    private void Put(Dictionary<string, object?> row, string key, object? value, bool required, string why)
    {
        if (Field(key) is { } f)
        {
            if (!f.AutoIncreasement && !f.Readonly)
            {
                row[f.Name] = value;
            }
        }
        else if (required)
        {
            throw Unsupported(why);
        }
    }

    private TreeException Unsupported(string why) => new(TreeErrorCode.NotSupported, $"dao({Set.Name}): {why}");

    private string? Text(RecordRow r, string key) => Field(key) is { } f && r.TryGetValue(f.Name, out var v) && v is not null
        ? v switch
        {
            string s => s,
            JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText(),
            _ => ValueCodec.KeyText(v),
        }
        : null;

    private long? Number(RecordRow r, string key) => Field(key) is { } f && r.TryGetValue(f.Name, out var v) && v is not null
        ? v switch
        {
            int i => i,
            long l => l,
            float x => (long)x,
            double d => (long)d,
            bool b => b ? 1 : 0,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            _ => null,
        }
        : null;

    private IReadOnlyList<string> Labels(RecordRow r)
    {
        if (Field("lbls") is not { } f || !r.TryGetValue(f.Name, out var v) || v is null)
        {
            return [];
        }

        return v switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } e => [.. e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText())],
            string s => s.Length == 0 ? [] : s.Split(','),
            _ => [],
        };
    }

    /// <summary>The field name a tree key (or custom key) filters and sorts on, or null when the set has none.</summary>
    public RecordField? Resolve(string key) => key == "id" ? Id : key == "nm" ? Name : Field(key) ?? _meta.GetValueOrDefault(key);
}
