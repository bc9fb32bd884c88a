using Grove.Tree.Query;

namespace Grove.Tree.Internal.Sql;

/// <summary>
/// Writes the keyset condition "after the cursor row" and the matching ORDER BY, null-aware: null is the smallest
/// value of every key, first ascending and last descending.
/// </summary>
internal static class SqlKeysetWriter
{
    /// <summary>The ORDER BY list (without the keywords).</summary>
    public static string OrderBy(SqlDialect dialect, IReadOnlyList<SortKey> keys) => string.Join(", ", keys.SelectMany(s =>
    {
        var k = new SqlKey(dialect, s.Key);
        var dir = s.Descending ? "DESC" : "ASC";
        var nulls = k.IsNotNull ? "" : s.Descending ? " NULLS LAST" : " NULLS FIRST";
        return k.OrderTerms.Select(t => $"{t} {dir}{nulls}");
    }));

    /// <summary>
    /// Rows after the cursor: <c>A1 OR (T1 AND (A2 OR (T2 AND ...)))</c>, where Ai is "key i sorts after its cursor
    /// value" and Ti is "key i ties with it". <paramref name="after"/> holds one plain value per key.
    /// </summary>
    public static string After(SqlDialect dialect, IReadOnlyList<SortKey> keys, IReadOnlyList<object?> after, SqlParams ps)
    {
        if (after.Count != keys.Count)
        {
            throw FilterError.Invalid("bad cursor");
        }

        var values = keys.Select((s, i) => Value(s.Key, after[i])).ToArray();
        var sqlKeys = keys.Select(s => new SqlKey(dialect, s.Key)).ToArray();
        if (RowValue(keys, sqlKeys, values, ps) is { } fast)
        {
            return fast;
        }

        return Step(0);

        // Written front to back so placeholders number in reading order.
        string Step(int i)
        {
            var after1 = sqlKeys[i].After(values[i], keys[i].Descending, ps);
            if (i == keys.Count - 1)
            {
                return after1;
            }

            var tie = sqlKeys[i].Tie(values[i], ps);
            var rest = Step(i + 1);
            return after1 == SqlKey.False ? $"({tie} AND {rest})" : $"({after1} OR ({tie} AND {rest}))";
        }
    }

    // All keys NOT NULL columns in one direction: a row-value comparison, which both planners turn into an index range.
    private static string? RowValue(IReadOnlyList<SortKey> keys, SqlKey[] sqlKeys, object?[] values, SqlParams ps)
    {
        var desc = keys[0].Descending;
        var eligible = keys.Count > 1 && keys.All(k => k.Descending == desc) && sqlKeys.All(k => k.IsNotNull)
            && values.Select((v, i) => v is not null && sqlKeys[i].ExprFor(ScalarOrder.KindOf(v)) is not null).All(ok => ok);
        if (!eligible)
        {
            return null;
        }

        var cols = string.Join(", ", sqlKeys.Select(k => k.Key));
        var ph = string.Join(", ", values.Select((v, i) => sqlKeys[i].Param(ps, v!)));
        return $"({cols}) {(desc ? "<" : ">")} ({ph})";
    }

    private static object? Value(string key, object? value)
    {
        try
        {
            return Scalars.Operand(key, value);
        }
        catch (TreeException e)
        {
            throw FilterError.Invalid("bad cursor", e);
        }
    }
}
