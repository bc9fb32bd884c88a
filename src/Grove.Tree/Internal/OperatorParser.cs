using System.Text.Json;
using Grove.Tree.Query;

namespace Grove.Tree.Internal;

/// <summary>
/// Parses an explicit operator object such as <c>{"$gte": 5, "$lt": 9}</c>; its operators are ANDed and their
/// values are taken literally (no WnQuery string forms).
/// </summary>
internal static class OperatorParser
{
    /// <summary>The filter for the operator object <paramref name="value"/> of <paramref name="key"/>.</summary>
    public static Filter Parse(string key, JsonElement value)
    {
        var items = new List<Filter>();
        foreach (var p in value.EnumerateObject())
        {
            items.Add(key == FilterKeys.Labels ? Labels(key, p) : Operator(key, p));
        }

        return items.Count switch
        {
            0 => throw FilterError.Key(key, "an operator object needs at least one operator, such as $gt"),
            1 => items[0],
            _ => new AndFilter(items),
        };
    }

    private static Filter Operator(string key, JsonProperty p) => p.Name switch
    {
        "$eq" => new CompareFilter(key, CompareOp.Eq, FilterValueParser.Scalar(key, p.Value)),
        "$ne" => new CompareFilter(key, CompareOp.Ne, FilterValueParser.Scalar(key, p.Value)),
        "$gt" => Ordered(key, p, CompareOp.Gt),
        "$gte" => Ordered(key, p, CompareOp.Ge),
        "$lt" => Ordered(key, p, CompareOp.Lt),
        "$lte" => Ordered(key, p, CompareOp.Le),
        "$in" => new InFilter(key, Array(key, p)),
        "$nin" => new NotFilter(new InFilter(key, Array(key, p))),
        "$exists" => new ExistsFilter(key, Bool(key, p)),
        "$regex" => Regex(key, p),
        "$prefix" => new MatchFilter(key, MatchKind.Prefix, Text(key, p)),
        "$glob" => new MatchFilter(key, MatchKind.Wildcard, Text(key, p)),
        _ => throw FilterError.Key(key, $"unknown operator '{p.Name}'"),
    };

    private static Filter Labels(string key, JsonProperty p) => p.Name switch
    {
        "$exists" => new ExistsFilter(key, Bool(key, p)),
        "$eq" when p.Value.ValueKind == JsonValueKind.Null => new CompareFilter(key, CompareOp.Eq, null),
        "$ne" when p.Value.ValueKind == JsonValueKind.Null => new CompareFilter(key, CompareOp.Ne, null),
        "$all" => new LabelsFilter(Array(key, p).Select(v => v as string
            ?? throw FilterError.Key(key, "labels must be strings")).ToArray()),
        _ => throw FilterError.Key(key, $"labels take only $all, $exists, or $eq/$ne null, not '{p.Name}'"),
    };

    private static Filter Ordered(string key, JsonProperty p, CompareOp op) =>
        FilterValueParser.Scalar(key, p.Value) is { } v
            ? new CompareFilter(key, op, v)
            : throw FilterError.Key(key, $"{p.Name} cannot compare with null");

    private static Filter Regex(string key, JsonProperty p)
    {
        var pattern = Text(key, p);
        RegexCache.Get(pattern, key);
        return new MatchFilter(key, MatchKind.Regex, pattern);
    }

    private static object?[] Array(string key, JsonProperty p) => p.Value.ValueKind == JsonValueKind.Array
        ? p.Value.EnumerateArray().Select(v => FilterValueParser.Scalar(key, v)).ToArray()
        : throw FilterError.Key(key, $"{p.Name} needs an array, not {FilterParser.Describe(p.Value)}");

    private static bool Bool(string key, JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw FilterError.Key(key, $"{p.Name} needs true or false, not {FilterParser.Describe(p.Value)}"),
    };

    private static string Text(string key, JsonProperty p) => p.Value.ValueKind == JsonValueKind.String
        ? p.Value.GetString()!
        : throw FilterError.Key(key, $"{p.Name} needs a string, not {FilterParser.Describe(p.Value)}");
}
