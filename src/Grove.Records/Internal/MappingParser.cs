using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grove.Records.Internal;

/// <summary>Reads and writes seed 003's entity-mapping JSON.</summary>
internal static class MappingParser
{
    private static readonly JsonDocumentOptions DocOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 };

    public static RecordMapping Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > 1_000_000)
        {
            throw RecordsException.Mapping("a mapping holds at most 1 MB");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, DocOptions);
        }
        catch (JsonException e)
        {
            throw RecordsException.Mapping($"the mapping is not JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw RecordsException.Mapping("a mapping is a JSON object");
            }

            var mapping = new RecordMapping
            {
                TableName = Str(root, "tableName", "tableName") ?? throw RecordsException.Mapping("tableName is required", "tableName"),
                AutoCreate = Bool(root, "autoCreate", "autoCreate") ?? true,
                Fields = Array(root, "fields").Select((f, i) => ParseField(f, i)).ToList(),
                Pks = Strings(root, "pks") ?? [],
                ObjKeys = ObjKeys(root),
                Indexes = Array(root, "indexes").Select((x, i) => ParseIndex(x, i)).ToList(),
                History = root.TryGetProperty("history", out var h) && h.ValueKind != JsonValueKind.Null ? ParseHistory(h) : null,
            };
            mapping.Validate();
            return mapping;
        }
    }

    private static RecordField ParseField(JsonElement f, int i)
    {
        var at = $"fields[{i}]";
        if (f.ValueKind != JsonValueKind.Object)
        {
            throw RecordsException.Mapping($"{at} is not an object", at);
        }

        var name = Str(f, "name", at) ?? throw RecordsException.Mapping($"{at} has no name", at);
        var typeText = Str(f, "type", name) ?? "String";
        if (!Enum.TryParse<RecordFieldType>(typeText, ignoreCase: false, out var type) || !Enum.IsDefined(type) || char.IsDigit(typeText[0]))
        {
            throw RecordsException.Mapping($"field '{name}' has unknown type '{typeText}' (String|Integer|Long|Float|Double|Boolean|Object|SArray|List|JSON)", name);
        }

        return new RecordField
        {
            Name = name,
            Type = type,
            ColumnName = Str(f, "columnName", name) ?? name,
            ColumnType = (Str(f, "columnType", name) ?? "AUTO").ToUpperInvariant(),
            CustomDbType = Str(f, "customDbType", name),
            DefaultValue = f.TryGetProperty("defaultValue", out var d) && d.ValueKind != JsonValueKind.Null
                ? (d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText())
                : null,
            IsVersion = Bool(f, "isVersion", name) ?? false,
            Readonly = Bool(f, "readonly", name) ?? false,
            NotNull = Bool(f, "notNull", name) ?? false,
            Unsigned = Bool(f, "unsigned", name) ?? false,
            AutoIncreasement = Bool(f, "autoIncreasement", name) ?? false,
            CaseSensitive = Bool(f, "casesensitive", name) ?? true,
            Insert = Bool(f, "insert", name) ?? true,
            Update = Bool(f, "update", name) ?? true,
        };
    }

    private static RecordIndex ParseIndex(JsonElement x, int i)
    {
        var at = $"indexes[{i}]";
        if (x.ValueKind != JsonValueKind.Object)
        {
            throw RecordsException.Mapping($"{at} is not an object", at);
        }

        return new RecordIndex(
            Str(x, "name", at) ?? throw RecordsException.Mapping($"{at} has no name", at),
            Bool(x, "unique", at) ?? false,
            Strings(x, "fields") ?? throw RecordsException.Mapping($"{at} has no fields", at));
    }

    private static HistoryPolicy ParseHistory(JsonElement h)
    {
        if (h.ValueKind != JsonValueKind.Object)
        {
            throw RecordsException.Mapping("history is not an object", "history");
        }

        return new HistoryPolicy
        {
            CutField = Str(h, "cutField", "history.cutField") ?? throw RecordsException.Mapping("history.cutField is required", "history.cutField"),
            MainRows = Long(h, "mainRows") ?? 1_000_000,
            TableRows = Long(h, "tableRows") ?? 10_000_000,
            Keep = (int)(Long(h, "keep") ?? 10),
            Strategy = Str(h, "strategy", "history.strategy") switch
            {
                null or "tables" => HistoryStrategy.Tables,
                "partitions" => HistoryStrategy.Partitions,
                var other => throw RecordsException.Mapping($"history.strategy '{other}' is not tables or partitions", "history.strategy"),
            },
            Interval = Long(h, "interval"),
        };
    }

    private static Dictionary<string, string> ObjKeys(JsonElement root)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("objKeys", out var o) || o.ValueKind == JsonValueKind.Null)
        {
            return keys;
        }

        if (o.ValueKind != JsonValueKind.Object)
        {
            throw RecordsException.Mapping("objKeys is not an object", "objKeys");
        }

        foreach (var p in o.EnumerateObject())
        {
            keys[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw RecordsException.Mapping($"objKeys.{p.Name} is not a field name", "objKeys." + p.Name);
        }

        return keys;
    }

    private static IEnumerable<JsonElement> Array(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var a) || a.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().ToList() : throw RecordsException.Mapping($"{name} is not an array", name);
    }

    private static List<string>? Strings(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var a) || a.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (a.ValueKind == JsonValueKind.String)
        {
            return [a.GetString()!];
        }

        return a.ValueKind == JsonValueKind.Array && a.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String)
            ? a.EnumerateArray().Select(x => x.GetString()!).ToList()
            : throw RecordsException.Mapping($"{name} is not an array of field names", name);
    }

    private static string? Str(JsonElement e, string name, string at) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw RecordsException.Mapping($"{at}: {name} is not a string", at);

    private static bool? Bool(JsonElement e, string name, string at) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw RecordsException.Mapping($"{at}: {name} is not true or false", at);

    private static long? Long(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw RecordsException.Mapping($"history.{name} is not an integer", "history." + name);

    public static string Write(RecordMapping m)
    {
        var fields = new JsonArray();
        foreach (var f in m.Fields)
        {
            fields.Add(new JsonObject
            {
                ["name"] = f.Name,
                ["type"] = f.Type.ToString(),
                ["columnName"] = f.ColumnName,
                ["columnType"] = f.ColumnType,
                ["customDbType"] = f.CustomDbType,
                ["defaultValue"] = f.DefaultValue,
                ["isVersion"] = f.IsVersion,
                ["readonly"] = f.Readonly,
                ["notNull"] = f.NotNull,
                ["unsigned"] = f.Unsigned,
                ["autoIncreasement"] = f.AutoIncreasement,
                ["casesensitive"] = f.CaseSensitive,
                ["insert"] = f.Insert,
                ["update"] = f.Update,
            });
        }

        var o = new JsonObject
        {
            ["tableName"] = m.TableName,
            ["autoCreate"] = m.AutoCreate,
            ["fields"] = fields,
            ["pks"] = new JsonArray(m.Pks.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
            ["objKeys"] = new JsonObject(m.ObjKeys.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["indexes"] = new JsonArray(m.Indexes.Select(x => (JsonNode)new JsonObject
            {
                ["name"] = x.Name,
                ["unique"] = x.Unique,
                ["fields"] = new JsonArray(x.Fields.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
            }).ToArray()),
        };
        if (m.History is { } h)
        {
            var history = new JsonObject { ["cutField"] = h.CutField, ["mainRows"] = h.MainRows, ["tableRows"] = h.TableRows, ["keep"] = h.Keep };
            if (h.Strategy == HistoryStrategy.Partitions)
            {
                history["strategy"] = "partitions";
                history["interval"] = h.Interval;
            }

            o["history"] = history;
        }

        return o.ToJsonString();
    }
}
