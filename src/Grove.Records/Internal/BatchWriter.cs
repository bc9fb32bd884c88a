using System.Data.Common;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// Inserts of many rows in one transaction: one prepared statement per table and column list, reused for every row;
/// duplicates (a key or a unique index's value taken, history tables included) refused or skipped.
/// </summary>
internal sealed class BatchWriter(Db db, SetCatalog catalog)
{
    /// <summary>The most rows one call writes (a batch is one transaction held in memory).</summary>
    public const int MaxRows = 100_000;

    public async Task<IReadOnlyList<RecordRow?>> InsertAsync(CompiledSet set, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, RecordWriteOptions options, CancellationToken ct)
    {
        if (rows.Count > MaxRows)
        {
            throw RecordsException.Argument($"at most {MaxRows} rows per batch; load more with a bulk stream");
        }

        var returning = Returning(set, options.Returning);
        var plans = new Planned[rows.Count];
        var auto = set.Fields.Any(f => f.AutoIncreasement);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw RecordsException.Argument($"row {i} is null");
            var (fields, values) = RowPlan.ForInsert(set, row);
            var key = auto && !row.ContainsKey(set.Pks[0].Name) ? null : RowPlan.KeyOf(set, row);
            plans[i] = new Planned(key is null ? set.Template.Static : RowPlan.TableOf(set, key), fields, values, key);
        }

        if (set.Template.IsDynamic)
        {
            foreach (var table in plans.Select(p => p.Table).Distinct(StringComparer.Ordinal))
            {
                await catalog.EnsureDynamicAsync(set, table, ct);
            }
        }

        var answers = new RecordRow?[rows.Count];
        await using var s = await db.BeginWriteAsync(ct);
        await db.PinAsync(s, set, write: true, ct);
        try
        {
            var write = new bool[plans.Length];
            await using var history = set.History is null ? null : new HistoryProbe(set, await SetCatalog.TablesAsync(s, set.Name, ct));
            for (var i = 0; i < plans.Length; i++)
            {
                var where = history is null ? null : await history.TakenAsync(s, plans[i], ct);
                write[i] = where is null || (options.SkipDuplicates ? false
                    : throw new RecordsException(RecordsErrorCode.DuplicateKey, $"record set '{set.Name}' already holds row {i}'s {where}; nothing of the batch was written"));
            }

            if (s.Connection.CanCreateBatch)
            {
                await BatchedAsync(s, plans, write, answers, returning, options.SkipDuplicates, ct);
            }
            else
            {
                await OneByOneAsync(s, plans, write, answers, returning, options.SkipDuplicates, ct);
            }
        }
        catch (Exception e) when (Db.Map(e, set.Name) is { } mapped)
        {
            throw new RecordsException(mapped.Code, mapped.Message + "; nothing of the batch was written", mapped.Field, e);
        }

        if (options.AlsoInTransaction is { } also)
        {
            await also(new RecordTransaction(s.Connection, s.WriteTransaction, answers), ct);
        }

        // Note that nothing is announced to the hot caches: they hold rows that exist, and every row written here is new.
        await s.CommitAsync(ct);
        return answers;
    }

    private static List<RecordField> Returning(CompiledSet set, IReadOnlyList<string>? names)
    {
        if (names is null)
        {
            return [.. set.Fields];
        }

        var wanted = new HashSet<string>(names, StringComparer.Ordinal);
        foreach (var n in wanted.Where(n => !set.ByName.ContainsKey(n)))
        {
            throw RecordsException.Argument($"record set '{set.Name}' has no field '{n}' to return", n);
        }

        return set.Fields.Where(f => wanted.Contains(f.Name) || set.Pks.Contains(f)).ToList();
    }

    /// <summary>SQLite: one statement per table and column list, bound again for each row (SQLite keeps it compiled).</summary>
    private static async Task OneByOneAsync(Session s, Planned[] plans, bool[] write, RecordRow?[] answers, List<RecordField> returning, bool skip, CancellationToken ct)
    {
        var statements = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        Planned? last = null;
        DbCommand? cmd = null;
        try
        {
            for (var i = 0; i < plans.Length; i++)
            {
                if (!write[i])
                {
                    continue;
                }

                var p = plans[i];

                // Note that rows of a batch mostly insert the same columns: the last statement is reused without building its SQL.
                if (last is null || last.Table != p.Table || !last.Fields.SequenceEqual(p.Fields))
                {
                    var sql = Sql(p, returning, skip, k => "@p" + k);
                    if (!statements.TryGetValue(sql, out cmd))
                    {
                        cmd = Db.Command(s, sql, new object?[p.Fields.Count]);
                        statements[sql] = cmd;
                    }

                    last = p;
                }

                for (var k = 0; k < p.Values.Count; k++)
                {
                    cmd!.Parameters[k].Value = p.Values[k];
                }

                await using var r = await cmd!.ExecuteReaderAsync(ct);
                answers[i] = await r.ReadAsync(ct) ? Read(returning, r, p.Table) : null;
            }
        }
        finally
        {
            foreach (var c in statements.Values)
            {
                await c.DisposeAsync();
            }
        }
    }

    /// <summary>PostgreSQL: the rows' statements sent together, a few hundred per round trip.</summary>
    private static async Task BatchedAsync(Session s, Planned[] plans, bool[] write, RecordRow?[] answers, List<RecordField> returning, bool skip, CancellationToken ct)
    {
        const int PerRoundTrip = 500;
        var at = Enumerable.Range(0, plans.Length).Where(i => write[i]).ToList();
        foreach (var part in at.Chunk(PerRoundTrip))
        {
            await using var batch = s.Connection.CreateBatch();
            batch.Transaction = s.Transaction;
            foreach (var i in part)
            {
                var c = batch.CreateBatchCommand();
                c.CommandText = Sql(plans[i], returning, skip, k => "$" + (k + 1));
                foreach (var v in plans[i].Values)
                {
                    var prm = c.CreateParameter();
                    prm.Value = v;
                    c.Parameters.Add(prm);
                }

                batch.BatchCommands.Add(c);
            }

            await using var r = await batch.ExecuteReaderAsync(ct);
            foreach (var i in part)
            {
                answers[i] = await r.ReadAsync(ct) ? Read(returning, r, plans[i].Table) : null;
                await r.NextResultAsync(ct);
            }
        }
    }

    private static string Sql(Planned p, List<RecordField> returning, bool skip, Func<int, string> placeholder)
    {
        var q = EngineStorage.Quote;
        return $"INSERT INTO {q(p.Table)} ({string.Join(", ", p.Fields.Select(f => q(f.ColumnName)))}) VALUES ({string.Join(", ", p.Fields.Select((_, i) => placeholder(i)))})"
            + (skip ? " ON CONFLICT DO NOTHING" : "")
            + $" RETURNING {string.Join(", ", returning.Select(f => q(f.ColumnName)))}";
    }

    private static RecordRow Read(List<RecordField> fields, DbDataReader r, string table)
    {
        var values = new Dictionary<string, object?>(fields.Count, StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            values[fields[i].Name] = ValueCodec.FromDb(fields[i], r.GetValue(i));
        }

        return new RecordRow(values, table);
    }

    /// <summary>A row ready to insert: its main table, columns, values and key (null while the database generates it).</summary>
    internal sealed record Planned(string Table, List<RecordField> Fields, List<object> Values, object[]? Key);
}
