using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grove.Messages.Internal.Mapping;
using Grove.Tree.Query;

namespace Grove.Messages.Internal.Storage;

/// <summary>
/// A WnQuery filter over mapped fields, compiled to a test of a message's document (its top-level fields by internal
/// name). A field without a value only satisfies <c>null</c> comparisons and <c>exists: false</c>; values of different
/// kinds never match; a number compared with a date-time field (a range of dates parses to milliseconds) is compared
/// as the stored UTC text.
/// </summary>
internal static class DocFilter
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(50);

    public static Func<JsonElement, bool> Compile(Filter filter, Func<string, MappingField?> fieldOf) => filter switch
    {
        AndFilter a => All([.. a.Items.Select(x => Compile(x, fieldOf))]),
        OrFilter o => Any([.. o.Items.Select(x => Compile(x, fieldOf))]),
        NotFilter n => Not(Compile(n.Inner, fieldOf)),
        CompareFilter c => Compare(c, fieldOf),
        InFilter i => Any([.. i.Values.Select(v => Compare(new CompareFilter(i.Key, CompareOp.Eq, v), fieldOf))]),
        ExistsFilter e => Exists(Name(e.Key), e.Exists),
        MatchFilter m => Match(m),
        _ => throw MessageException.Invalid("labels are not a filter of messages; filter on mapped fields"),
    };

    private static Func<JsonElement, bool> All(Func<JsonElement, bool>[] items) => d => Array.TrueForAll(items, p => p(d));

    private static Func<JsonElement, bool> Any(Func<JsonElement, bool>[] items) => d => Array.Exists(items, p => p(d));

    private static Func<JsonElement, bool> Not(Func<JsonElement, bool> inner) => d => !inner(d);

    private static Func<JsonElement, bool> Exists(string name, bool exists) => d => Value(d, name) is not null == exists;

    private static Func<JsonElement, bool> Compare(CompareFilter c, Func<string, MappingField?> fieldOf)
    {
        var name = Name(c.Key);
        var operand = c.Value;
        if (operand is long ms && fieldOf(name) is { Type: FieldType.DateTime })
        {
            operand = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString(ValueConverter.DateTimeFormat, CultureInfo.InvariantCulture);
        }

        if (operand is null)
        {
            return c.Op switch
            {
                CompareOp.Eq => Exists(name, false),
                CompareOp.Ne => Exists(name, true),
                _ => _ => false,
            };
        }

        Func<int, bool> test = c.Op switch
        {
            CompareOp.Eq => r => r == 0,
            CompareOp.Ne => r => r != 0,
            CompareOp.Lt => r => r < 0,
            CompareOp.Le => r => r <= 0,
            CompareOp.Gt => r => r > 0,
            _ => r => r >= 0,
        };
        return d => Value(d, name) is { } v && Order(v, operand) is { } r && test(r);
    }

    /// <summary>The order of a document value against an operand of the same kind, or null when the kinds differ.</summary>
    private static int? Order(JsonElement v, object operand) => (v.ValueKind, operand) switch
    {
        (JsonValueKind.String, string s) => string.CompareOrdinal(v.GetString(), s),
        (JsonValueKind.Number, long l) when v.TryGetInt64(out var x) => x.CompareTo(l),
        (JsonValueKind.Number, long l) => v.GetDouble().CompareTo(l),
        (JsonValueKind.Number, double dd) => v.GetDouble().CompareTo(dd),
        (JsonValueKind.Number, decimal m) when v.TryGetDecimal(out var x) => x.CompareTo(m),
        (JsonValueKind.True or JsonValueKind.False, bool b) => (v.ValueKind == JsonValueKind.True).CompareTo(b),
        _ => null,
    };

    private static Func<JsonElement, bool> Match(MatchFilter m)
    {
        var name = Name(m.Key);
        var pattern = m.Pattern ?? throw MessageException.Invalid($"field '{name}': the pattern is missing");
        Func<string, bool> test = m.Kind switch
        {
            MatchKind.Prefix => s => s.StartsWith(pattern, StringComparison.Ordinal),
            MatchKind.Wildcard => Regex(Wildcard(pattern), name).IsMatch,
            _ => Regex(pattern, name).IsMatch,
        };
        return d => Value(d, name) is { ValueKind: JsonValueKind.String } v && test(v.GetString()!);
    }

    private static Regex Regex(string pattern, string name)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexBudget);
        }
        catch (ArgumentException e)
        {
            throw MessageException.Invalid($"field '{name}': the regular expression does not parse: {e.Message}");
        }
    }

    private static string Wildcard(string pattern) =>
        "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";

    private static JsonElement? Value(JsonElement doc, string name) =>
        doc.ValueKind == JsonValueKind.Object && doc.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static string Name(string key) => MappingReader.NamePattern().IsMatch(key)
        ? key
        : throw MessageException.Invalid($"'{key}' is not a mapped field's name");
}
