using System.Text.Json;
using Grove.Tree.Query;

namespace Grove.Tree.Internal.Sql;

/// <summary>Writes a filter as a SQL condition with the semantics of <see cref="FilterEvaluator"/>.</summary>
internal sealed class SqlFilterWriter(SqlDialect dialect, SqlParams ps)
{
    private bool Sqlite => dialect == SqlDialect.Sqlite;

    /// <summary>The condition; a null filter is always true.</summary>
    public string Write(Filter? f) => f switch
    {
        null => SqlKey.True,
        AndFilter a => Join(a.Items, " AND ", SqlKey.True),
        OrFilter o => Join(o.Items, " OR ", SqlKey.False),

        // IS NOT TRUE, not NOT: a NULL (missing) inner condition is false, so its negation must hold.
        NotFilter n => $"({Write(n.Inner)}) IS NOT TRUE",
        CompareFilter c => Compare(c),
        InFilter i => In(i),
        MatchFilter m => SqlMatchWriter.Write(dialect, m, ps),
        LabelsFilter l => Labels(l),
        ExistsFilter e => Exists(e),
        _ => throw FilterError.Invalid($"unknown filter {f.GetType().Name}"),
    };

    private string Join(IReadOnlyList<Filter>? items, string op, string empty) => items is null || items.Count == 0
        ? empty
        : items.Count == 1 ? Write(items[0]) : "(" + string.Join(op, items.Select(Write)) + ")";

    private string Compare(CompareFilter c)
    {
        var key = FilterKeys.Validate(c.Key);
        var value = Scalars.Operand(key, c.Value);
        if (key == FilterKeys.Labels)
        {
            return c.Op switch
            {
                CompareOp.Eq when value is null => HasLabels(false),
                CompareOp.Ne when value is null => HasLabels(true),
                _ => throw FilterError.Key(key, "labels support only a labels filter, exists, or comparison with null"),
            };
        }

        var k = new SqlKey(dialect, key);
        return (c.Op, value) switch
        {
            (CompareOp.Eq, null) => k.Missing,
            (CompareOp.Ne, null) => k.Present,
            (CompareOp.Ne, _) => k.NotEqual(value, ps),
            (_, null) => SqlKey.False,
            (CompareOp.Eq or CompareOp.Lt or CompareOp.Le or CompareOp.Gt or CompareOp.Ge, _) => k.Compare(c.Op, value, ps),
            _ => throw FilterError.Key(key, $"unknown operator {c.Op}"),
        };
    }

    private string In(InFilter f)
    {
        var key = FilterKeys.Validate(f.Key);
        if (key == FilterKeys.Labels)
        {
            throw FilterError.Key(key, "labels support only a labels filter, exists, or comparison with null");
        }

        var k = new SqlKey(dialect, key);
        var values = (f.Values ?? []).Select(v => Scalars.Operand(key, v)).ToList();
        var parts = new List<string>();
        if (values.Any(v => v is null))
        {
            parts.Add(k.Missing);
        }

        // Group operands by the expression that holds their kind; kinds the key cannot hold never match.
        foreach (var group in values.OfType<object>().GroupBy(v => k.ExprFor(ScalarOrder.KindOf(v))))
        {
            if (group.Key is { } e)
            {
                var ph = group.Select(v => k.Param(ps, v)).ToList();
                parts.Add(ph.Count == 1 ? $"{e} = {ph[0]}" : $"{e} IN ({string.Join(", ", ph)})");
            }
        }

        return parts.Count switch
        {
            0 => SqlKey.False,
            1 => parts[0],
            _ => "(" + string.Join(" OR ", parts) + ")",
        };
    }

    private string Labels(LabelsFilter f)
    {
        var labels = FilterEvaluator.LabelList(f);
        if (labels.Length == 0)
        {
            return SqlKey.True;
        }

        if (!Sqlite)
        {
            return $"lbls @> {ps.AddJson(JsonSerializer.Serialize(labels))}";
        }

        var parts = labels.Select(l => $"EXISTS (SELECT 1 FROM json_each(obj.lbls) WHERE value = {ps.Add(l)})").ToList();
        return parts.Count == 1 ? parts[0] : "(" + string.Join(" AND ", parts) + ")";
    }

    private string Exists(ExistsFilter f)
    {
        var key = FilterKeys.Validate(f.Key);
        if (key == FilterKeys.Labels)
        {
            return HasLabels(f.Exists);
        }

        var k = new SqlKey(dialect, key);
        return f.Exists ? k.Present : k.Missing;
    }

    // jsonb "-> 0" is NULL for an empty array, SQL NULL or a non-array, so it never raises an error.
    private string HasLabels(bool has) => (Sqlite, has) switch
    {
        (true, true) => "json_array_length(lbls) > 0",
        (true, false) => "(lbls IS NULL OR json_array_length(lbls) = 0)",
        (false, true) => "(lbls -> 0) IS NOT NULL",
        (false, false) => "(lbls -> 0) IS NULL",
    };
}
