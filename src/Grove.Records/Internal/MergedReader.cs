using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// Reads of several tables of a set in one statement each (a UNION ALL of per-table ordered, limited reads, each row
/// tagged with its table) and their k-way merge into the set's global order.
/// </summary>
internal static class MergedReader
{
    /// <summary>The sort keys of each table's first <paramref name="per"/> rows passing <paramref name="where"/> (index-only where an index covers them).</summary>
    public static async Task<List<List<object[]>>> KeysAsync(Session s, SortPlan sort, IReadOnlyList<string> tables, string where, List<object?> args, int per, CancellationToken ct)
    {
        var cols = string.Join(", ", sort.Fields.Select(f => EngineStorage.Quote(f.ColumnName)));
        var lists = tables.Select(_ => new List<object[]>()).ToList();
        await using var cmd = Db.Command(s, Union(tables, cols, where, sort, per), [.. args]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var values = new object[sort.KeyCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = r.GetValue(i);
            }

            lists[Convert.ToInt32(r.GetValue(sort.KeyCount), System.Globalization.CultureInfo.InvariantCulture)].Add(values);
        }

        foreach (var list in lists)
        {
            list.Sort(sort.CompareKeys);
        }

        return lists;
    }

    /// <summary>
    /// The <paramref name="n"/>th key (1-based) of the set's global order across <paramref name="tables"/>, or null
    /// when they hold fewer; and which tables hold keys among the first n. Each table is first asked for a share of
    /// n (twice its even part); a table whose share ran out before the merged nth key is asked again, after its last
    /// key, for n more — after which it cannot run out first — so at most two rounds read about 2·n keys in all
    /// rather than n from every table.
    /// </summary>
    public static async Task<(object[]? Key, bool[] Used)> NthAsync(Session s, SortPlan sort, IReadOnlyList<string> tables, string where, List<object?> args, int n, CancellationToken ct)
    {
        var share = tables.Count <= 1 ? n : (int)Math.Min(n, Math.Max(16, 2L * n / tables.Count + 1));
        var lists = await KeysAsync(s, sort, tables, where, args, share, ct);
        var asked = lists.Select(_ => share).ToArray();
        while (true)
        {
            var (key, used) = Nth(lists, n, sort);
            var again = Enumerable.Range(0, lists.Count)
                .Where(i => lists[i].Count == asked[i] && (key is null || sort.CompareKeys(lists[i][^1], key) < 0))
                .ToList();
            if (again.Count == 0)
            {
                return (key, used);
            }

            foreach (var i in again)
            {
                var more = new List<object?>(args);
                var after = where + " AND " + sort.After(lists[i][^1], more);
                var got = await KeysAsync(s, sort, [tables[i]], after, more, n, ct);
                asked[i] = lists[i].Count + n;
                lists[i].AddRange(got[0]);
            }
        }
    }

    /// <summary>The full rows of each table's first <paramref name="per"/> rows passing <paramref name="where"/>.</summary>
    public static async Task<List<List<RecordRow>>> RowsAsync(Session s, CompiledSet set, SortPlan sort, IReadOnlyList<string> tables, string where, List<object?> args, int per, CancellationToken ct)
    {
        var lists = tables.Select(_ => new List<RecordRow>()).ToList();
        if (tables.Count == 0)
        {
            return lists;
        }

        var single = tables.Count == 1;
        var sql = single
            ? $"SELECT {set.AllColumns} FROM {EngineStorage.Quote(tables[0])} WHERE {where} ORDER BY {sort.OrderBy} LIMIT {per}"
            : Union(tables, set.AllColumns, where, sort, per);
        await using var cmd = Db.Command(s, sql, [.. args]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var at = single ? 0 : Convert.ToInt32(r.GetValue(set.Fields.Count), System.Globalization.CultureInfo.InvariantCulture);
            lists[at].Add(RowPlan.Read(set, r, tables[at]));
        }

        if (!single)
        {
            foreach (var list in lists)
            {
                list.Sort(sort);
            }
        }

        return lists;
    }

    /// <summary>
    /// The <paramref name="n"/>th key (1-based) of the merged lists, or null when they hold fewer; and for each list
    /// whether any of its keys is among the first <paramref name="n"/>.
    /// </summary>
    public static (object[]? Key, bool[] Used) Nth(List<List<object[]>> lists, int n, SortPlan sort)
    {
        var used = new bool[lists.Count];
        var heads = new PriorityQueue<(int List, int Index), object[]>(Comparer<object[]>.Create(sort.CompareKeys));
        for (var i = 0; i < lists.Count; i++)
        {
            if (lists[i].Count > 0)
            {
                heads.Enqueue((i, 0), lists[i][0]);
            }
        }

        for (var taken = 1; heads.TryDequeue(out var at, out var key); taken++)
        {
            used[at.List] = true;
            if (taken == n)
            {
                return (key, used);
            }

            if (at.Index + 1 < lists[at.List].Count)
            {
                heads.Enqueue((at.List, at.Index + 1), lists[at.List][at.Index + 1]);
            }
        }

        return (null, used);
    }

    /// <summary>The first <paramref name="take"/> rows of the merged lists.</summary>
    public static List<RecordRow> Merge(List<List<RecordRow>> lists, SortPlan sort, int take)
    {
        var heads = new PriorityQueue<(int List, int Index), RecordRow>(sort);
        for (var i = 0; i < lists.Count; i++)
        {
            if (lists[i].Count > 0)
            {
                heads.Enqueue((i, 0), lists[i][0]);
            }
        }

        var merged = new List<RecordRow>(Math.Min(take, lists.Sum(l => l.Count)));
        while (merged.Count < take && heads.TryDequeue(out var at, out var row))
        {
            merged.Add(row);
            if (at.Index + 1 < lists[at.List].Count)
            {
                heads.Enqueue((at.List, at.Index + 1), lists[at.List][at.Index + 1]);
            }
        }

        return merged;
    }

    private static string Union(IReadOnlyList<string> tables, string cols, string where, SortPlan sort, int per) =>
        string.Join(" UNION ALL ", tables.Select((t, i) =>
            $"SELECT q{i}.*, {i} AS grove_t FROM (SELECT {cols} FROM {EngineStorage.Quote(t)} WHERE {where} ORDER BY {sort.OrderBy} LIMIT {per}) AS q{i}"));
}
