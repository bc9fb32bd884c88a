using Grove.Tree.Query;

namespace Grove.Tree.Internal;

/// <summary>
/// Compiles a filter to a predicate over objects, with exactly the semantics of the SQL that
/// <see cref="Sql.SqlQueryBuilder"/> writes: a missing value only satisfies <c>Eq null</c>, <c>Ne value</c> and negations;
/// values of different kinds are never equal or ordered against each other.
/// </summary>
internal static class FilterEvaluator
{
    /// <summary>The predicate; a null filter matches everything. Throws <see cref="TreeErrorCode.InvalidFilter"/> for a bad filter.</summary>
    public static Func<TreeObject, bool> Compile(Filter? f) => f switch
    {
        null => _ => true,
        AndFilter a => All(a.Items.Select(Compile).ToArray()),
        OrFilter o => Any(o.Items.Select(Compile).ToArray()),
        NotFilter n => Not(Compile(n.Inner)),
        CompareFilter c => CompileCompare(c),
        InFilter i => CompileIn(i),
        MatchFilter m => CompileMatch(m),
        LabelsFilter l => CompileLabels(l),
        ExistsFilter e => CompileExists(e),
        _ => throw FilterError.Invalid($"unknown filter {f.GetType().Name}"),
    };

    private static Func<TreeObject, bool> All(Func<TreeObject, bool>[] items) => o => items.All(p => p(o));

    private static Func<TreeObject, bool> Any(Func<TreeObject, bool>[] items) => o => items.Any(p => p(o));

    private static Func<TreeObject, bool> Not(Func<TreeObject, bool> inner) => o => !inner(o);

    private static Func<TreeObject, bool> CompileCompare(CompareFilter c)
    {
        var key = FilterKeys.Validate(c.Key);
        var value = Scalars.Operand(key, c.Value);
        if (key == FilterKeys.Labels)
        {
            return c.Op switch
            {
                CompareOp.Eq when value is null => o => o.Labels.Count == 0,
                CompareOp.Ne when value is null => o => o.Labels.Count > 0,
                _ => throw FilterError.Key(key, "labels support only a labels filter, exists, or comparison with null"),
            };
        }

        return c.Op switch
        {
            CompareOp.Eq => o => AreEqual(Scalars.Of(o, key), value),
            CompareOp.Ne => o => !AreEqual(Scalars.Of(o, key), value),
            CompareOp.Lt => Ordered(key, value, r => r < 0),
            CompareOp.Le => Ordered(key, value, r => r <= 0),
            CompareOp.Gt => Ordered(key, value, r => r > 0),
            CompareOp.Ge => Ordered(key, value, r => r >= 0),
            _ => throw FilterError.Key(key, $"unknown operator {c.Op}"),
        };
    }

    /// <summary>Equality of two normalized values: null equals only null; different kinds are never equal.</summary>
    public static bool AreEqual(object? x, object? operand)
    {
        var k = ScalarOrder.KindOf(x);
        return k == ScalarOrder.KindOf(operand) && ScalarOrder.CompareSameKind(x, operand) == 0;
    }

    private static Func<TreeObject, bool> Ordered(string key, object? value, Func<int, bool> test)
    {
        if (value is null)
        {
            return _ => false;
        }

        var kind = ScalarOrder.KindOf(value);
        return o =>
        {
            var x = Scalars.Of(o, key);
            return ScalarOrder.KindOf(x) == kind && test(ScalarOrder.CompareSameKind(x, value));
        };
    }

    private static Func<TreeObject, bool> CompileIn(InFilter i)
    {
        var key = FilterKeys.Validate(i.Key);
        if (key == FilterKeys.Labels)
        {
            throw FilterError.Key(key, "labels support only a labels filter, exists, or comparison with null");
        }

        var values = (i.Values ?? []).Select(v => Scalars.Operand(key, v)).ToArray();
        return o =>
        {
            var x = Scalars.Of(o, key);
            return values.Any(v => AreEqual(x, v));
        };
    }

    private static Func<TreeObject, bool> CompileMatch(MatchFilter m)
    {
        var key = FilterKeys.Validate(m.Key);
        if (key == FilterKeys.Labels)
        {
            throw FilterError.Key(key, "labels cannot be matched against a pattern; give the labels instead");
        }

        var pattern = m.Pattern ?? throw FilterError.Key(key, "the pattern is missing");
        Func<string, bool> test = m.Kind switch
        {
            MatchKind.Prefix => s => s.StartsWith(pattern, StringComparison.Ordinal),
            MatchKind.Regex => RegexCache.Get(pattern, key).IsMatch,
            MatchKind.Wildcard => WildcardMatcher.Compile(pattern),
            _ => throw FilterError.Key(key, $"unknown match kind {m.Kind}"),
        };
        return o => Scalars.TextOf(o, key) is { } s && test(s);
    }

    private static Func<TreeObject, bool> CompileLabels(LabelsFilter l)
    {
        var labels = LabelList(l);
        return o => labels.All(x => o.Labels.Contains(x, StringComparer.Ordinal));
    }

    /// <summary>The labels of a labels filter, checked for nulls.</summary>
    public static string[] LabelList(LabelsFilter l) =>
        (l.Labels ?? []).Select(x => x ?? throw FilterError.Key(FilterKeys.Labels, "a label cannot be null")).ToArray();

    private static Func<TreeObject, bool> CompileExists(ExistsFilter e)
    {
        var key = FilterKeys.Validate(e.Key);
        if (key == FilterKeys.Labels)
        {
            return o => o.Labels.Count > 0 == e.Exists;
        }

        return o => Scalars.Of(o, key) is not null == e.Exists;
    }
}
