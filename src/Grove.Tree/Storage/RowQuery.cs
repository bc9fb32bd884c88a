using Grove.Tree.Internal;

namespace Grove.Tree.Storage;

/// <summary>
/// Evaluates an <see cref="IndexQuery"/> over rows an indexer loaded itself (key-value stores without a query
/// language): the same filter semantics, sort order and keyset cursors as the built-in indexers.
/// </summary>
public static class RowQuery
{
    /// <summary>The rows of <paramref name="rows"/> the query selects, in its order, at most its limit.</summary>
    public static IReadOnlyList<TreeObject> Run(IEnumerable<TreeObject> rows, IndexQuery query)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(query);
        var match = FilterEvaluator.Compile(query.Filter);
        var order = new ObjectComparer(query.Sort);
        var all = rows.Where(match).ToList();
        all.Sort(order);
        IEnumerable<TreeObject> seq = all;
        if (query.After is { } after)
        {
            seq = seq.Where(r => order.CompareToValues(r, after) > 0);
        }

        return [.. seq.Take(query.Limit)];
    }

    /// <summary>The parent id a query is confined to (a top-level <c>pid</c> equality), or null when it spans the index.</summary>
    public static string? ParentOf(IndexQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Parent(query.Filter);

        static string? Parent(Query.Filter? f) => f switch
        {
            Query.CompareFilter { Key: "pid", Op: Query.CompareOp.Eq, Value: string pid } => pid,
            Query.AndFilter a => a.Items.Select(Parent).FirstOrDefault(p => p is not null),
            _ => null,
        };
    }
}
