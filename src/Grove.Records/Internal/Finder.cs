using System.Text.Json;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// Finds rows across the main and history tables in one global order: each table answers its own ordered, filtered,
/// keyset-bounded query (at most one page deep, plus one row), all in one snapshot, and a k-way merge takes the page.
/// Memory is bounded by tables × page, whatever the depth of a keyset page; counting is the database's.
/// </summary>
internal sealed class Finder(Db db, RecordsOptions options)
{
    private readonly StatementPage _statement = new(db);

    /// <summary>Forgets a set's tables (its definition changed).</summary>
    public void Forget(string set) => _statement.Forget(set);

    public async Task<RecordPage> FindAsync(CompiledSet set, RecordQuery query, CancellationToken ct)
    {
        var limit = query.Limit ?? options.DefaultPageSize;
        if (limit < 1 || limit > options.MaxPageSize)
        {
            throw RecordsException.Query($"limit must be 1 to {options.MaxPageSize}");
        }

        if (query.Page is { } pg && (pg < 1 || (long)(pg - 1) * limit > options.MaxPageOffset))
        {
            throw RecordsException.Query($"page must be 1 or more and reach at most row {options.MaxPageOffset}; page deeper with the cursor (after)");
        }

        if (query.Page is not null && query.After is not null)
        {
            throw RecordsException.Query("give a page number or a cursor, not both");
        }

        var offset = query.Page is { } p ? (p - 1) * limit : 0;
        var sort = new SortPlan(set, query.Sort, db.Flavor);
        var projection = query.Fields?.Select(f => set.ByName.ContainsKey(f) ? f : throw RecordsException.Query($"record set '{set.Name}' has no field '{f}' to return", f)).ToHashSet(StringComparer.Ordinal);
        var args = new List<object?>();
        var where = new FilterCompiler(set, args).Compile(query.Where);
        if (query.After is { } cursor)
        {
            where += " AND " + sort.After(sort.ReadCursor(cursor), args);
        }

        if (offset == 0 && !query.Count && query.History is not < 0
            && await _statement.TryAsync(set, sort, query.History, where, args, limit + 1, ct) is { } alone)
        {
            return Page(sort, projection, alone, limit, null);
        }

        await using var s = await db.BeginReadAsync(ct);
        await db.PinAsync(s, set, write: false, ct);
        var (tables, rows) = await TablesAsync(s, set, query, ct);
        if (offset > 0)
        {
            // Note that a page by number first finds the row before it from the sort keys alone (an index-only
            // read of offset keys per table, merged), then reads the page like a cursor page: full rows are read
            // for one page per table, not for every row before it.
            var before = (await MergedReader.NthAsync(s, sort, tables, rows, where, args, offset, ct)).Key;
            if (before is null)
            {
                return new RecordPage([], null, query.Count ? await CountAsync(s, set, query, tables, ct) : null);
            }

            args = [];
            where = new FilterCompiler(set, args).Compile(query.Where) + " AND " + sort.After(before, args);
        }

        var per = limit + 1;
        if (tables.Count > 1 && db.IsPostgres)
        {
            // Note that PostgreSQL merges the tables' ordered reads lazily (Merge Append): a page of full rows in one
            // statement reads about a page and a row per table, half the time of keys first and rows joined after.
            return await PageAsync(s, set, query, tables, sort, projection, await MergedReader.MergedRowsAsync(s, set, sort, tables, where, args, per, ct), limit, ct);
        }

        if (tables.Count > 1 && await SharesPage.ReadAsync(s, set, sort, tables, rows, where, args, per, ct) is { } shared)
        {
            return await PageAsync(s, set, query, tables, sort, projection, shared, limit, ct);
        }

        var readFrom = (IReadOnlyList<string>)tables;
        if (tables.Count > 1)
        {
            // Note that with several tables the page's last row is found from the sort keys alone (index-only where an
            // index covers filter and sort), so full rows are read for one page in all, not for one page per table.
            var (last, used) = await MergedReader.NthAsync(s, sort, tables, rows, where, args, per, ct);
            readFrom = tables.Where((_, i) => used[i]).ToList();
            if (last is not null)
            {
                args = [.. args];
                where += " AND " + sort.AtOrBefore(last, args);
            }
        }

        var lists = await MergedReader.RowsAsync(s, set, sort, readFrom, where, args, per, ct);
        return await PageAsync(s, set, query, tables, sort, projection, MergedReader.Merge(lists, sort, per), limit, ct);
    }

    private static async Task<RecordPage> PageAsync(Session s, CompiledSet set, RecordQuery query, List<string> tables, SortPlan sort, HashSet<string>? projection, List<RecordRow> merged, int limit, CancellationToken ct)
    {
        long? total = query.Count ? await CountAsync(s, set, query, tables, ct) : null;
        return Page(sort, projection, merged, limit, total);
    }

    private static RecordPage Page(SortPlan sort, HashSet<string>? projection, List<RecordRow> merged, int limit, long? total)
    {
        var page = merged.Take(limit).ToList();
        var next = merged.Count > limit && page.Count > 0 ? sort.Cursor(page[^1]) : null;
        var items = projection is null ? page : page.Select(r => Project(r, projection)).ToList();
        return new RecordPage(items, next, total);
    }

    private static async Task<long> CountAsync(Session s, CompiledSet set, RecordQuery query, List<string> tables, CancellationToken ct)
    {
        long total = 0;
        foreach (var table in tables)
        {
            var countArgs = new List<object?>();
            var countWhere = new FilterCompiler(set, countArgs).Compile(query.Where);
            await using var count = Db.Command(s, $"SELECT COUNT(*) FROM {EngineStorage.Quote(table)} WHERE {countWhere}", [.. countArgs]);
            total += Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        return total;
    }

    private static RecordRow Project(RecordRow row, HashSet<string> fields) =>
        new(row.Where(kv => fields.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), row.Table);

    /// <summary>The tables a query reads, main first, each with an estimate of its rows (what sizes its share of a page).</summary>
    private async Task<(List<string> Tables, List<long> Rows)> TablesAsync(Session s, CompiledSet set, RecordQuery query, CancellationToken ct)
    {
        if (set.Template.IsDynamic)
        {
            var key = set.Template.Placeholders.ToDictionary(f => f, f =>
                query.Where is { ValueKind: JsonValueKind.Object } w && w.TryGetProperty(f, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
                    ? ValueCodec.ToDb(set.ByName[f], v)
                    : throw RecordsException.Query($"record set '{set.Name}' spreads over tables by '{f}': the filter must give it one value", f));
            var table = set.MainTable(f => key[f]);
            return await db.TableExistsAsync(s, table, ct) ? ([table], [0]) : ([], []);
        }

        var all = await SetCatalog.TablesAsync(s, set.Name, ct);
        _statement.Saw(set, all);
        var history = all.Where(t => t.Kind == RecordTableKind.History);
        if (query.History is { } n)
        {
            history = n < 0 ? throw RecordsException.Query("history is 0 (main only), N (the N most recent) or absent (all)") : history.Take(n);
        }

        // Note that the main table holds about the policy's mainRows once rotation runs, a history table the rows
        // moved into it: estimates are enough, a share too small costs one more statement, never a wrong page.
        var list = history.ToList();
        return ([set.Template.Static, .. list.Select(t => t.Name)], [set.History?.MainRows ?? 0, .. list.Select(t => t.Moved)]);
    }

    /// <summary>Each table of the set with its rows now.</summary>
    public async Task<IReadOnlyList<RecordTableStats>> CountTablesAsync(CompiledSet set, CancellationToken ct)
    {
        await using var s = await db.BeginReadAsync(ct);
        await db.PinAsync(s, set, write: false, ct);
        var list = new List<RecordTableStats>();
        foreach (var t in await SetCatalog.TablesAsync(s, set.Name, ct))
        {
            await using var cmd = Db.Command(s, $"SELECT COUNT(*) FROM {EngineStorage.Quote(t.Name)}");
            list.Add(new RecordTableStats(t.Name, t.Kind, t.Seq, Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return list;
    }
}
