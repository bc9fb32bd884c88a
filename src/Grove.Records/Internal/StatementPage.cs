using System.Collections.Concurrent;
using System.Data.Common;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// A page on PostgreSQL in one statement and one round trip, where a read transaction takes three (BEGIN with the
/// table list, the page, ROLLBACK): the tables are those this node last read from the catalog, and the statement
/// reads the catalog's list of history tables in its own snapshot beside the rows. The page stands when that list is
/// the one it was built from — the one snapshot then holds each row in exactly one of the tables read — else (or when
/// no row came back to carry the list, or a table is gone) the caller reads the page in a transaction as before. A set
/// without history tables is read in one statement with no check.
/// </summary>
internal sealed class StatementPage(Db db)
{
    private readonly ConcurrentDictionary<string, (List<RecordTableInfo> Tables, string Names)> _known = new(StringComparer.Ordinal);

    /// <summary>Keeps the table list a read of the catalog gave (what the next page is built from).</summary>
    public void Saw(CompiledSet set, List<RecordTableInfo> all) => _known[set.Name] = (all, Names(all));

    /// <summary>Forgets a set's tables (its definition changed).</summary>
    public void Forget(string set) => _known.TryRemove(set, out _);

    /// <summary>The page's rows (up to <paramref name="per"/>, in order) or null when it must be read in a transaction.</summary>
    public async Task<List<RecordRow>?> TryAsync(CompiledSet set, SortPlan sort, int? history, string where, List<object?> args, int per, CancellationToken ct)
    {
        if (!db.IsPostgres || set.Template.IsDynamic)
        {
            return null;
        }

        if (set.History is null)
        {
            // Note that a set without history has one table, made with the set: nothing to check.
            await using var one = await db.BeginStatementAsync(point: false, ct);
            return await MergedReader.MergedRowsAsync(one, set, sort, [set.Template.Static], where, args, per, ct);
        }

        if (!_known.TryGetValue(set.Name, out var known))
        {
            return null;
        }

        var kept = known.Tables.Where(t => t.Kind == RecordTableKind.History);
        List<string> tables = [set.Template.Static, .. (history is { } n ? kept.Take(n) : kept).Select(t => t.Name)];
        var union = MergedReader.Union(tables, set.AllColumns, [.. tables.Select(_ => where)], sort, [.. tables.Select(_ => per)]);
        var catalog = "(SELECT string_agg(table_name, ',' ORDER BY seq DESC, table_name) FROM grove_record_tables WHERE set_name = @gc AND kind = 'history')";
        var rows = new List<RecordRow>(per);
        try
        {
            await using var s = await db.BeginStatementAsync(point: false, ct);
            await using var cmd = Db.Command(s, $"SELECT u.*, {catalog} AS grove_cat FROM ({union}) AS u ORDER BY {sort.OrderBy} LIMIT {per}", [.. args]);
            EngineStorage.Parameter(cmd, "gc", set.Name);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                if ((r.IsDBNull(set.Fields.Count + 1) ? "" : r.GetString(set.Fields.Count + 1)) != known.Names)
                {
                    return null;
                }

                rows.Add(RowPlan.Read(set, r, tables[r.GetInt32(set.Fields.Count)]));
            }
        }
        catch (DbException) when (!ct.IsCancellationRequested)
        {
            // Note that a table this node knew was dropped by retention since: the transaction's read finds the list afresh.
            return null;
        }

        return rows.Count > 0 ? rows : null;
    }

    private static string Names(IEnumerable<RecordTableInfo> all) =>
        string.Join(",", all.Where(t => t.Kind == RecordTableKind.History).Select(t => t.Name));
}
