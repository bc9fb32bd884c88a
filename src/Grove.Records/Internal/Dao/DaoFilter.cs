using System.Text.Json;
using System.Text.Json.Nodes;
using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Records.Internal.Dao;

/// <summary>
/// Turns the tree's WnQuery filter into the records engine's JSON filter over mapped fields, so a find in a
/// <c>dao</c> mount is SQL on the set's tables. Keys the set does not map are <c>invalid_filter</c>; a term the
/// mapping decides alone (<c>pid</c> or <c>race</c> without a field) becomes always true or always false.
/// </summary>
internal sealed class DaoFilter(DaoShape shape)
{
    /// <summary>The JSON filter, or null when every row matches; <paramref name="none"/> is true when no row can.</summary>
    public JsonElement? Compile(Filter? filter, out bool none)
    {
        var node = filter is null ? True : Node(filter);
        none = ReferenceEquals(node, False);
        return node is JsonObject o ? JsonSerializer.SerializeToElement(o) : null;
    }

    private static readonly JsonNode True = new JsonObject();
    private static readonly JsonNode False = new JsonArray();

    private JsonNode Node(Filter f) => f switch
    {
        AndFilter a => Join("$and", a.Items.Select(Node).ToList(), True, False),
        OrFilter o => Join("$or", o.Items.Select(Node).ToList(), False, True),
        CompareFilter c => Compare(c),
        InFilter i => Term(i.Key, new JsonArray([.. i.Values.Select(Value)])),
        ExistsFilter e => Term(e.Key, e.Exists ? new JsonObject { ["$ne"] = null } : null),
        MatchFilter m => throw Refused($"'{m.Key}': prefix, regular-expression and wildcard matches are not served by dao mounts (use ranges or equality)"),
        NotFilter => throw Refused("'!' (negation of a whole term) is not served by dao mounts; use $ne"),
        LabelsFilter => throw Refused("label filters are not served by dao mounts; filter on the labels' field"),
        _ => throw Refused("this filter is not served by dao mounts"),
    };

    private static JsonNode Join(string op, List<JsonNode> items, JsonNode neutral, JsonNode absorbing)
    {
        if (items.Any(i => ReferenceEquals(i, absorbing)))
        {
            return absorbing;
        }

        var kept = items.Where(i => !ReferenceEquals(i, neutral)).ToList();
        return kept.Count switch
        {
            0 => neutral,
            1 => kept[0],
            _ => new JsonObject { [op] = new JsonArray([.. kept]) },
        };
    }

    private JsonNode Compare(CompareFilter c)
    {
        // Note that pid and race without a field are the same for every row: the term is decided here.
        if (c.Key is "pid" or "race" && shape.Field(c.Key) is null)
        {
            var actual = c.Key == "pid" ? "" : "FILE";
            var given = c.Value as string;
            return c.Op switch
            {
                CompareOp.Eq => string.Equals(given, actual, StringComparison.OrdinalIgnoreCase) ? True : False,
                CompareOp.Ne => string.Equals(given, actual, StringComparison.OrdinalIgnoreCase) ? False : True,
                _ => throw Refused($"'{c.Key}' takes = or != here"),
            };
        }

        var value = Value(c.Value);
        return c.Op switch
        {
            CompareOp.Eq => Term(c.Key, value),
            CompareOp.Ne => Term(c.Key, new JsonObject { ["$ne"] = value }),
            CompareOp.Lt => Term(c.Key, new JsonObject { ["$lt"] = value }),
            CompareOp.Le => Term(c.Key, new JsonObject { ["$lte"] = value }),
            CompareOp.Gt => Term(c.Key, new JsonObject { ["$gt"] = value }),
            _ => Term(c.Key, new JsonObject { ["$gte"] = value }),
        };
    }

    private JsonObject Term(string key, JsonNode? value)
    {
        var field = shape.Resolve(key) ?? throw Refused($"record set '{shape.Set.Name}' maps no field to '{key}'");
        return new JsonObject { [field.Name] = value };
    }

    private static JsonNode? Value(object? v) => v switch
    {
        null => null,
        JsonElement e => JsonNode.Parse(e.GetRawText()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        DateTimeOffset t => JsonValue.Create(t.ToUnixTimeMilliseconds()),
        _ => JsonValue.Create(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)),
    };

    private static TreeException Refused(string message) => new(TreeErrorCode.InvalidFilter, message);
}
