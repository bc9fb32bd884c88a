using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// Reads of several tables of a set in one statement each (a UNION ALL of per-table ordered, limited reads, each row
/// tagged with its table) and their k-way merge into the set's global order.
/// </summary>
internal static class MergedReader
{
    /// <summary>
    /// The first <paramref name="n"/>, in the set's order, of the sort keys of each table's first <c>per[i]</c> rows
    /// passing <c>wheres[i]</c>, by table, in one statement (the conditions share <paramref name="args"/>). The
    /// database merges the tables' parts and returns n keys, not every part's: a key it leaves out follows the nth
    /// of those it returns, so it is never among the first n of the set.
    /// </summary>
    private static async Task<List<List<object[]>>> KeysAsync(Session s, SortPlan sort, IReadOnlyList<string> tables, IReadOnlyList<string> wheres, List<object?> args, IReadOnlyList<int> per, int n, CancellationToken ct)
    {
        var cols = sort.Columns;
        var lists = tables.Select(_ => new List<object[]>()).ToList();
        await using var cmd = Db.Command(s, $"SELECT * FROM ({Union(tables, cols, wheres, sort, per)}) AS u ORDER BY {sort.OrderBy} LIMIT {n}", [.. args]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var values = new object[sort.KeyCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = r.GetValue(i);
            }

            lists[r.GetInt32(sort.KeyCount)].Add(values);
        }

        return lists;
    }

    /// <summary>
    /// How many of the first <paramref name="n"/> keys each table is first asked for: its part of n by its share of
    /// the rows (<paramref name="rows"/>, estimates) and a margin, so that with rows spread like the filter's matches
    /// no table runs out before the nth key; 0 rows known for every table is an even split.
    /// </summary>
    public static int[] Shares(IReadOnlyList<long> rows, int n)
    {
        if (rows.Count <= 1)
        {
            return [.. rows.Select(_ => n)];
        }

        var total = rows.Sum(r => Math.Max(0, r));
        return [.. rows.Select(r =>
        {
            var part = total > 0 ? (double)Math.Max(0, r) / total : 1.0 / rows.Count;
            var mean = n * part;
            // Note that a table's count among the first n varies by about sqrt(n·part·(1 − part)): half its part again
            // covers a page, but for a deep page by number (n = 100,000 over six tables) it read 1.5× the keys needed,
            // where four deviations leave a run-out (one more statement) about once in 30,000 tables.
            var margin = Math.Min(0.5 * mean, 4 * Math.Sqrt(mean * (1 - part)));
            return (int)Math.Min(n, Math.Max(16, Math.Ceiling(mean + margin + 8)));
        })];
    }

    /// <summary>
    /// The <paramref name="n"/>th key (1-based) of the set's global order across <paramref name="tables"/>, or null
    /// when they hold fewer; and which tables hold keys among the first n. Each table is first asked for a share of
    /// n sized by its rows (<see cref="Shares"/>); the tables whose share ran out before the merged nth key are asked
    /// again in one statement, each after its last key, for n more — after which none can run out first — so at most
    /// two statements read about n, a margin and n more keys rather than n from every table.
    /// </summary>
    public static async Task<(object[]? Key, bool[] Used)> NthAsync(Session s, SortPlan sort, IReadOnlyList<string> tables, IReadOnlyList<long> rows, string where, List<object?> args, int n, CancellationToken ct)
    {
        var asked = Shares(rows, n);
        if (await StreamedNthAsync(s, sort, tables, where, args, asked, n, ct) is { } found)
        {
            return found;
        }

        var lists = await KeysAsync(s, sort, tables, tables.Select(_ => where).ToList(), args, asked, n, ct);
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

            var more = new List<object?>(args);
            var wheres = again.Select(i => where + " AND " + sort.After(lists[i][^1], more)).ToList();
            var got = await KeysAsync(s, sort, [.. again.Select(i => tables[i])], wheres, more, [.. again.Select(_ => n)], n, ct);
            for (var j = 0; j < again.Count; j++)
            {
                asked[again[j]] = lists[again[j]].Count + n;
                lists[again[j]].AddRange(got[j]);
            }
        }
    }

    /// <summary>
    /// The nth key from the first statement alone, read as the database streams the merged keys in the set's order
    /// (the nth row is the nth key; a table is used when any of its rows came), keeping each table's last key rather
    /// than every key: page 1,000 reads 100,000 keys, and keeping and merging them again cost as much as reading them.
    /// Null when a table's share ran out before the nth key (then <see cref="NthAsync"/> merges lists and asks again).
    /// </summary>
    private static async Task<(object[]? Key, bool[] Used)?> StreamedNthAsync(Session s, SortPlan sort, IReadOnlyList<string> tables, string where, List<object?> args, int[] asked, int n, CancellationToken ct)
    {
        if (tables.Count == 0)
        {
            return (null, []);
        }

        var cols = sort.Columns;
        var counts = new int[tables.Count];
        var lasts = new object[]?[tables.Count];
        var (total, lastTable) = (0, -1);
        await using (var cmd = Db.Command(s, $"SELECT * FROM ({Union(tables, cols, [.. tables.Select(_ => where)], sort, asked)}) AS u ORDER BY {sort.OrderBy} LIMIT {n}", [.. args]))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var at = r.GetInt32(sort.KeyCount);
                var values = lasts[at] ??= new object[sort.KeyCount];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = r.GetValue(i);
                }

                counts[at]++;
                (total, lastTable) = (total + 1, at);
            }
        }

        // Note that a table whose whole share came may hold more keys before the nth, unless its last is the nth.
        for (var i = 0; i < tables.Count; i++)
        {
            if (counts[i] == asked[i] && !(total == n && lastTable == i))
            {
                return null;
            }
        }

        return (total == n ? [.. lasts[lastTable]!] : null, [.. counts.Select(c => c > 0)]);
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
            : Union(tables, set.AllColumns, [.. tables.Select(_ => where)], sort, [.. tables.Select(_ => per)]);
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

    /// <summary>Each table's first <c>per[i]</c> rows passing <c>wheres[i]</c> (columns <paramref name="cols"/>, then the table's index as <c>grove_t</c>), in one UNION ALL.</summary>
    public static string Union(IReadOnlyList<string> tables, string cols, IReadOnlyList<string> wheres, SortPlan sort, IReadOnlyList<int> per) =>
        string.Join(" UNION ALL ", tables.Select((t, i) =>
            $"SELECT q{i}.*, {i} AS grove_t FROM (SELECT {cols} FROM {EngineStorage.Quote(t)} WHERE {wheres[i]} ORDER BY {sort.OrderBy} LIMIT {per[i]}) AS q{i}"));
}
