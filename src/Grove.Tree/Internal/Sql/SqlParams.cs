namespace Grove.Tree.Internal.Sql;

/// <summary>Collects parameters while SQL is written and hands out their placeholders.</summary>
internal sealed class SqlParams
{
    private readonly List<SqlParam> _items = [];

    /// <summary>The parameters so far.</summary>
    public IReadOnlyList<SqlParam> Items => _items;

    /// <summary>Adds a plain parameter and returns its placeholder.</summary>
    public string Add(object value)
    {
        var name = $"@p{_items.Count}";
        _items.Add(new SqlParam(name, value, false));
        return name;
    }

    /// <summary>Adds a JSON-text parameter and returns its placeholder with the <c>::jsonb</c> cast.</summary>
    public string AddJson(string json)
    {
        var name = $"@p{_items.Count}";
        _items.Add(new SqlParam(name, json, true));
        return name + "::jsonb";
    }
}
