using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// Reads of several tables of a set in one statement each (a UNION ALL of per-table ordered, limited reads, each row
/// tagged with its table) and their k-way merge into the set's global order.
/// </summary>
internal static class MergedReader
{
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
    /// n sized by its rows (<see cref="Shares"/>); when a table's share ran out before the merged nth key, the read is
    /// made again with that table asked for n — then none can run out first (raising a share only moves the nth key
    /// earlier, so a table that had keys to spare still has) — so at most two statements, each reading about n keys.
    /// </summary>
    /// <remarks>
    /// Note that the databases merge the parts lazily (PostgreSQL's Merge Append, SQLite's merge of ordered
    /// co-routines), so a larger share costs only the keys the merge takes from it. The first try used to be followed
    /// by two more statements (every share read again into lists, then n more keys from the tables that ran out):
    /// three times the keys for a page 1,000 whose main table held more rows than its policy's estimate.
    /// </remarks>
    public static async Task<(object[]? Key, bool[] Used)> NthAsync(Session s, SortPlan sort, IReadOnlyList<string> tables, IReadOnlyList<long> rows, string where, List<object?> args, int n, CancellationToken ct)
    {
        if (s.Connection is Npgsql.NpgsqlConnection)
        {
            return (await OffsetNthAsync(s, sort, tables, where, args, n, ct), [.. tables.Select(_ => true)]);
        }

        var asked = Shares(rows, n);
        while (true)
        {
            var (found, ranOut) = await StreamedNthAsync(s, sort, tables, where, args, asked, n, ct);
            if (found is { } f)
            {
                return f;
            }

            foreach (var i in ranOut)
            {
                asked[i] = n;
            }
        }
    }

    /// <summary>
    /// The nth key from one statement, read as the database streams the merged keys in the set's order (the nth row
    /// is the nth key; a table is used when any of its rows came), keeping each table's last key rather than every
    /// key: page 1,000 reads 100,000 keys, and keeping and merging them again cost as much as reading them. Not
    /// found when a table's share ran out before the nth key: then the tables that did.
    /// </summary>
    private static async Task<((object[]? Key, bool[] Used)? Found, List<int> RanOut)> StreamedNthAsync(Session s, SortPlan sort, IReadOnlyList<string> tables, string where, List<object?> args, int[] asked, int n, CancellationToken ct)
    {
        if (tables.Count == 0)
        {
            return ((null, []), []);
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
        var ranOut = Enumerable.Range(0, tables.Count).Where(i => counts[i] == asked[i] && asked[i] < n && !(total == n && lastTable == i)).ToList();
        return ranOut.Count > 0 ? (null, ranOut) : ((total == n ? [.. lasts[lastTable]!] : null, [.. counts.Select(c => c > 0)]), []);
    }

    /// <summary>
    /// The nth key on PostgreSQL, found by the database: every table's part may reach n (no share can run out), and
    /// its lazy merge of the parts (Merge Append) stops at the nth key — the work of the one big table's OFFSET,
    /// on index-only reads, and one row sent rather than n keys to count.
    /// </summary>
    private static async Task<object[]?> OffsetNthAsync(Session s, SortPlan sort, IReadOnlyList<string> tables, string where, List<object?> args, int n, CancellationToken ct)
    {
        if (tables.Count == 0)
        {
            return null;
        }

        var union = Union(tables, sort.Columns, [.. tables.Select(_ => where)], sort, [.. tables.Select(_ => n)]);
        await using var cmd = Db.Command(s, $"SELECT * FROM ({union}) AS u ORDER BY {sort.OrderBy} OFFSET {n - 1} LIMIT 1", [.. args]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        var key = new object[sort.KeyCount];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = r.GetValue(i);
        }

        return key;
    }

    /// <summary>The first <paramref name="per"/> rows across the tables in the set's order, merged by the database in one statement.</summary>
    public static async Task<List<RecordRow>> MergedRowsAsync(Session s, CompiledSet set, SortPlan sort, IReadOnlyList<string> tables, string where, List<object?> args, int per, CancellationToken ct)
    {
        var rows = new List<RecordRow>(per);
        var union = Union(tables, set.AllColumns, [.. tables.Select(_ => where)], sort, [.. tables.Select(_ => per)]);
        await using var cmd = Db.Command(s, $"SELECT * FROM ({union}) AS u ORDER BY {sort.OrderBy} LIMIT {per}", [.. args]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(RowPlan.Read(set, r, tables[r.GetInt32(set.Fields.Count)]));
        }

        return rows;
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
