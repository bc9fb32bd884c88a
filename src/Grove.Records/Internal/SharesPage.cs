using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// A page across several tables in one statement: each table's share of sort keys (<see cref="MergedReader.Shares"/>,
/// read from an index alone where one covers filter and sort), merged and cut to the page by the database, then the
/// full rows of the page's keys alone, each from its table by primary key (full rows of every share cost a page from
/// six tables twice the time of this at 20M rows). Right whenever no table's share ran out before the page's last
/// row — with shares sized by the tables' rows, nearly always; otherwise the caller reads the page as before.
/// </summary>
internal static class SharesPage
{
    /// <summary>The first <paramref name="per"/> rows across <paramref name="tables"/> in order, or null when a share ran out.</summary>
    public static async Task<List<RecordRow>?> ReadAsync(Session s, CompiledSet set, SortPlan sort, IReadOnlyList<string> tables, IReadOnlyList<long> rows, string where, List<object?> args, int per, CancellationToken ct)
    {
        var shares = MergedReader.Shares(rows, per);
        var keyCols = sort.Columns;
        var keys = MergedReader.Union(tables, keyCols, [.. tables.Select(_ => where)], sort, shares);
        var rowCols = string.Join(", ", set.Fields.Select(f => "b." + EngineStorage.Quote(f.ColumnName)));
        var on = string.Join(" AND ", set.Pks.Select(f => $"b.{EngineStorage.Quote(f.ColumnName)} = k.{EngineStorage.Quote(f.ColumnName)}"));
        var parts = tables.Select((t, i) => $"SELECT {rowCols}, {i} AS grove_t FROM k JOIN {EngineStorage.Quote(t)} AS b ON {on} WHERE k.grove_t = {i}");
        var sql = $"WITH k AS MATERIALIZED (SELECT * FROM ({keys}) AS u ORDER BY {sort.OrderBy} LIMIT {per}) " +
            $"SELECT * FROM ({string.Join(" UNION ALL ", parts)}) AS r ORDER BY {sort.OrderBy}";
        var page = new List<RecordRow>(per);
        var counts = new int[tables.Count];
        var lasts = new int[tables.Count];
        await using (var cmd = Db.Command(s, sql, [.. args]))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var at = r.GetInt32(set.Fields.Count);
                counts[at]++;
                lasts[at] = page.Count;
                page.Add(RowPlan.Read(set, r, tables[at]));
            }
        }

        // Note that a table whose whole share came back may hold more rows: they follow its last one, so the page is
        // right unless that last row is before the page's end (or the page is short, when any row would belong on it).
        for (var i = 0; i < tables.Count; i++)
        {
            if (counts[i] == shares[i] && (page.Count < per || lasts[i] < page.Count - 1))
            {
                return null;
            }
        }

        return page;
    }
}
