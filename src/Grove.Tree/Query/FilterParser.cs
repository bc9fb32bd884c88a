using System.Text.Json;
using Grove.Tree.Internal;

namespace Grove.Tree.Query;

/// <summary>
/// Parses the WnQuery JSON form of a filter. An array ORs its items; an object ANDs its keys; the keys
/// <c>%and</c> and <c>%or</c> take an array of nested objects or arrays. Each other key maps to a value form:
/// <list type="bullet">
/// <item><c>"^re"</c>: a regular expression (the whole string, <c>^</c> included).</item>
/// <item><c>"!x"</c>: the negation of the form <c>x</c> (<c>"!abc"</c> is not equal to <c>abc</c>).</item>
/// <item><c>"[10,100)"</c>, <c>"(,5]"</c>, <c>"[2024-01-01,2024-02-01)"</c>: a range; dates become ms since the epoch (UTC).</item>
/// <item><c>"ab*"</c>: a prefix; other strings with <c>*</c> or <c>?</c> are wildcards.</item>
/// <item><c>"\\x"</c>: the rest of the string, literally (<c>"\\^abc"</c> equals <c>^abc</c>).</item>
/// <item>any other string, a number, a boolean: equality; <c>null</c>: the key is missing; an array: one of the values.</item>
/// <item><c>{"$gt":5, "$lte":9}</c>: explicit operators <c>$eq $ne $gt $gte $lt $lte $in $nin $exists $regex $prefix $glob</c>.</item>
/// </list>
/// For <c>lbls</c>, a string or array of strings requires all those labels. An empty object matches everything.
/// </summary>
public static class FilterParser
{
    /// <summary>Parses JSON text. Throws <see cref="TreeException"/> with <see cref="TreeErrorCode.InvalidFilter"/> when malformed.</summary>
    public static Filter Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Parse(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw FilterError.Invalid($"filter is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Parses a JSON element. Throws <see cref="TreeException"/> with <see cref="TreeErrorCode.InvalidFilter"/> when malformed.</summary>
    public static Filter Parse(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => ParseObject(e),
        JsonValueKind.Array => new OrFilter(e.EnumerateArray().Select(ParseItem).ToArray()),
        _ => throw FilterError.Invalid($"a filter must be a JSON object or array, not {Describe(e)}"),
    };

    private static Filter ParseItem(JsonElement e) => e.ValueKind is JsonValueKind.Object or JsonValueKind.Array
        ? Parse(e)
        : throw FilterError.Invalid($"items of a filter array must be objects or arrays, not {Describe(e)}");

    private static Filter ParseObject(JsonElement e)
    {
        var items = new List<Filter>();
        foreach (var p in e.EnumerateObject())
        {
            items.Add(p.Name switch
            {
                "%and" => new AndFilter(Nested(p)),
                "%or" => new OrFilter(Nested(p)),
                _ when p.Name.StartsWith('%') => throw FilterError.Key(p.Name, "unknown combinator (use %and or %or)"),
                _ => FilterValueParser.Parse(FilterKeys.Validate(p.Name), p.Value),
            });
        }

        return items.Count == 1 ? items[0] : new AndFilter(items);
    }

    private static Filter[] Nested(JsonProperty p) => p.Value.ValueKind == JsonValueKind.Array
        ? p.Value.EnumerateArray().Select(ParseItem).ToArray()
        : throw FilterError.Key(p.Name, $"needs an array of objects or arrays, not {Describe(p.Value)}");

    internal static string Describe(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();
}
