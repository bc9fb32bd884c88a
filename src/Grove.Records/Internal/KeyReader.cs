using System.Collections.Concurrent;
using System.Data.Common;

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
                await using var s = await db.BeginReadAsync(ct);
                await db.PinAsync(s, set, write: false, ct);
                if (await RowWriter.GetFirstAsync(s, set, RowWriter.ForKey(set, known, key), key, ct) is { } row)
                {
                    return row;
                }
            }
            catch (DbException)
            {
                // Note that a table this node knew was dropped by retention since: read the catalog below.
            }
        }

        await using var fresh = await db.BeginReadAsync(ct);
        await db.PinAsync(fresh, set, write: false, ct);
        if (set.History is not null && !set.Template.IsDynamic)
        {
            var all = await SetCatalog.TablesAsync(fresh, set.Name, ct);
            _tables[set.Name] = all;
            return await RowWriter.GetFirstAsync(fresh, set, RowWriter.ForKey(set, all, key), key, ct);
        }

        return await RowWriter.GetFirstAsync(fresh, set, await RowWriter.TablesForKeyAsync(db, fresh, set, key, ct), key, ct);
    }

    /// <summary>Forgets a set's tables (its definition changed).</summary>
    public void Forget(string set) => _tables.TryRemove(set, out _);
}
