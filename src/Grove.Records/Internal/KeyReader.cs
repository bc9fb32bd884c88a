using System.Collections.Concurrent;
using System.Data.Common;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// Reads a row by key for the hot cache's misses. For a set with history tables it first asks only the tables this
/// node last saw (with their key ranges) without reading the catalog: a row lives in exactly one table at any
/// snapshot, so a row found there is the answer. Not found, or a table gone, is then confirmed from the catalog read
/// afresh — so a rotation or retention on another node costs one more round trip, never a wrong answer.
/// </summary>
internal sealed class KeyReader(Db db)
{
    private readonly ConcurrentDictionary<string, List<RecordTableInfo>> _tables = new(StringComparer.Ordinal);

    public async Task<RecordRow?> GetAsync(CompiledSet set, object[] key, CancellationToken ct)
    {
        if (set.History is not null && !set.Template.IsDynamic && _tables.TryGetValue(set.Name, out var known))
        {
            try
            {
                await using var s = await db.BeginStatementAsync(point: true, ct);
                if (await GetFirstAsync(s, set, Order(set, known, key), key, ct) is { } row)
                {
                    return row;
                }
            }
            catch (DbException)
            {
                // Note that a table this node knew was dropped by retention since: read the catalog below.
            }
        }

        if (set.History is null && !set.Template.IsDynamic)
        {
            await using var one = await db.BeginStatementAsync(point: true, ct);
            return await RowWriter.GetInAsync(one, set, set.Template.Static, key, ct);
        }

        await using var fresh = await db.BeginReadAsync(point: true, ct);
        await db.PinAsync(fresh, set, write: false, ct);
        if (set.History is not null && !set.Template.IsDynamic)
        {
            var all = await SetCatalog.TablesAsync(fresh, set.Name, ct);
            _tables[set.Name] = all;
            return await GetFirstAsync(fresh, set, Order(set, all, key), key, ct);
        }

        return await GetFirstAsync(fresh, set, await RowWriter.TablesForKeyAsync(db, fresh, set, key, ct), key, ct);
    }

    /// <summary>
    /// The tables that may hold the key, the likeliest first: the history tables whose kept key range holds it (a
    /// key in range was moved there, unless written again since), then the main table, then the history tables that
    /// keep no range.
    /// </summary>
    public static List<string> Order(CompiledSet set, IReadOnlyList<RecordTableInfo> all, object[] key)
    {
        var main = RowPlan.TableOf(set, key);
        if (!set.IntegerKeyed)
        {
            return RowWriter.ForKey(set, all, key, main);
        }

        var k = Convert.ToInt64(key[0], System.Globalization.CultureInfo.InvariantCulture);
        var history = all.Where(t => t.Kind == RecordTableKind.History && t.MayHold(k)).ToList();
        return [.. history.Where(t => t.Ranged).Select(t => t.Name), main, .. history.Where(t => !t.Ranged).Select(t => t.Name)];
    }

    /// <summary>
    /// The row with the key from the first of <paramref name="tables"/> holding it, in one statement: a UNION ALL
    /// with LIMIT 1 and no ORDER BY, which both databases run part by part and stop at the first row (a row lives in
    /// one table at any snapshot), so a key found in its history table costs one table's lookup and no sort.
    /// </summary>
    public static async Task<RecordRow?> GetFirstAsync(Session s, CompiledSet set, IReadOnlyList<string> tables, object[] key, CancellationToken ct)
    {
        if (tables.Count <= 1)
        {
            return tables.Count == 0 ? null : await RowWriter.GetInAsync(s, set, tables[0], key, ct);
        }

        var where = set.KeyWhere();
        var parts = tables.Select((t, i) => $"SELECT {set.AllColumns}, {i} FROM {EngineStorage.Quote(t)} WHERE {where}");
        await using var cmd = Db.Command(s, $"{string.Join(" UNION ALL ", parts)} LIMIT 1");
        RowPlan.AddKey(cmd, key);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? RowPlan.Read(set, r, tables[Convert.ToInt32(r.GetValue(set.Fields.Count), System.Globalization.CultureInfo.InvariantCulture)]) : null;
    }

    /// <summary>Forgets a set's tables (its definition changed).</summary>
    public void Forget(string set) => _tables.TryRemove(set, out _);
}
