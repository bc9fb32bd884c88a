using Grove.Tree.Internal;
using Grove.Tree.Query;

namespace Grove.Tree.Tests.Query;

/// <summary>The in-memory reference: the evaluator's filter, the comparer's order, and cursor paging over both.</summary>
internal static class QueryModel
{
    public static List<string> Expected(IEnumerable<TreeObject> all, Filter? filter, IReadOnlyList<SortKey> sort)
    {
        var pred = FilterEvaluator.Compile(filter);
        return all.Where(pred).OrderBy(o => o, new ObjectComparer(sort)).Select(o => o.Id).ToList();
    }

    public static IReadOnlyList<SortKey> Sort(params string[] keys) => [.. keys.Select(SortKey.Parse)];

    /// <summary>What a memory indexer runs: filter, cursor, order, limit.</summary>
    public static List<string> RunInMemory(IEnumerable<TreeObject> all, IndexQuery q)
    {
        var pred = FilterEvaluator.Compile(q.Filter);
        var comparer = new ObjectComparer(q.Sort);
        return all.Where(o => pred(o) && (q.After is null || comparer.CompareToValues(o, q.After) > 0))
            .OrderBy(o => o, comparer).Take(q.Limit).Select(o => o.Id).ToList();
    }

    /// <summary>Pages through the query with a cursor built from each page's last row, encoded and decoded.</summary>
    public static List<string> PageAll(
        Func<IndexQuery, List<string>> run, IReadOnlyDictionary<string, TreeObject> byId, Filter? filter,
        IReadOnlyList<SortKey> sort, int pageSize)
    {
        var comparer = new ObjectComparer(sort);
        var result = new List<string>();
        IReadOnlyList<object?>? after = null;
        for (var guard = 0; guard < 10_000; guard++)
        {
            var page = run(new IndexQuery(filter, comparer.Keys, pageSize, after));
            result.AddRange(page);
            if (page.Count < pageSize)
            {
                return result;
            }

            var cursor = Cursor.Encode(comparer.ValuesOf(byId[page[^1]]));
            after = Cursor.Decode(cursor, comparer.Keys.Count);
        }

        throw new InvalidOperationException("paging did not end");
    }
}
