using System.Text.Json;
using Grove.Tree.Query;

namespace Grove.Tree.Internal;

/// <summary>Parses the value of one key of a WnQuery object into a filter (see <see cref="FilterParser"/>).</summary>
internal static class FilterValueParser
{
    /// <summary>The filter for <paramref name="key"/> (already validated) and its JSON value.</summary>
    public static Filter Parse(string key, JsonElement value)
    {
        if (key == FilterKeys.Labels)
        {
            return ParseLabels(value);
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => ParseString(key, value.GetString()!),
            JsonValueKind.Array => new InFilter(key, value.EnumerateArray().Select(v => Scalar(key, v)).ToArray()),
            JsonValueKind.Object => OperatorParser.Parse(key, value),
            _ => new CompareFilter(key, CompareOp.Eq, Scalar(key, value)),
        };
    }

    /// <summary>A scalar JSON value as a plain operand; race names become 0/1.</summary>
    public static object? Scalar(string key, JsonElement v)
    {
        object? plain = v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number when v.TryGetInt64(out var l) => l,
            JsonValueKind.Number when v.TryGetDouble(out var d) && double.IsFinite(d) => d,
            JsonValueKind.Number => throw FilterError.Key(key, $"number {v.GetRawText()} is out of range"),
            _ => throw FilterError.Key(key, $"expected a string, number, boolean or null, not {FilterParser.Describe(v)}"),
        };
        return Scalars.Operand(key, plain);
    }

    /// <summary>The string forms: escape, negation, regex, range, prefix, wildcard, else equality.</summary>
    public static Filter ParseString(string key, string s)
    {
        if (s.StartsWith('\\'))
        {
            return new CompareFilter(key, CompareOp.Eq, Scalars.Operand(key, s[1..]));
        }

        if (s.StartsWith('!'))
        {
            return ParseString(key, s[1..]) switch
            {
                CompareFilter { Op: CompareOp.Eq } c => c with { Op = CompareOp.Ne },
                var inner => new NotFilter(inner),
            };
        }

        if (s.StartsWith('^'))
        {
            RegexCache.Get(s, key);
            return new MatchFilter(key, MatchKind.Regex, s);
        }

        if (IntervalParser.TryParse(key, s) is { } range)
        {
            return range;
        }

        var wild = s.IndexOfAny(['*', '?']);
        if (wild >= 0)
        {
            return wild == s.Length - 1 && s[^1] == '*'
                ? new MatchFilter(key, MatchKind.Prefix, s[..^1])
                : new MatchFilter(key, MatchKind.Wildcard, s);
        }

        return new CompareFilter(key, CompareOp.Eq, Scalars.Operand(key, s));
    }

    private static Filter ParseLabels(JsonElement value)
    {
        var key = FilterKeys.Labels;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return new CompareFilter(key, CompareOp.Eq, null);
            case JsonValueKind.String:
                var s = value.GetString()!;
                return s.StartsWith('!')
                    ? new NotFilter(new LabelsFilter([s[1..]]))
                    : new LabelsFilter([s.StartsWith('\\') ? s[1..] : s]);
            case JsonValueKind.Array:
                return new LabelsFilter(value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String
                    ? v.GetString()!
                    : throw FilterError.Key(key, $"labels must be strings, not {FilterParser.Describe(v)}")).ToArray());
            case JsonValueKind.Object:
                return OperatorParser.Parse(key, value);
            default:
                throw FilterError.Key(key, $"expected a label, an array of labels or null, not {FilterParser.Describe(value)}");
        }
    }
}
