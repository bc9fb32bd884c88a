using System.Data.Common;
using Grove.Tree.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Records.Internal;

/// <summary>
/// Bulk loads in committed chunks: on SQLite one prepared INSERT reused for every row of a chunk's transaction, on
/// PostgreSQL one binary COPY per chunk. A chunk is all or nothing, so a load cut short (even by kill -9) leaves the
/// chunks before it and none of the one it was in.
/// </summary>
internal sealed class BulkLoader(Db db, RecordsOptions options)
{
    public async Task<long> LoadAsync(CompiledSet set, IAsyncEnumerable<IReadOnlyDictionary<string, object?>> rows, IProgress<long>? progress, CancellationToken ct)
    {
        if (set.Template.IsDynamic)
        {
            throw RecordsException.Argument($"record set '{set.Name}' has a dynamic tableName: load it with inserts");
        }

        // Note that defaults may depend on the row, so each row is planned; the columns are every insertable field.
        var fields = set.Fields.Where(f => !f.Readonly && f.Insert && !f.AutoIncreasement).ToList();
        var chunk = new List<object[]>(options.BulkChunkRows);
        long done = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            var (planned, values) = RowPlan.ForInsert(set, row);
            var full = new object[fields.Count];
            for (var i = 0; i < fields.Count; i++)
            {
                var at = planned.IndexOf(fields[i]);
                full[i] = at < 0 ? DBNull.Value : values[at];
            }

            chunk.Add(full);
            if (chunk.Count >= options.BulkChunkRows)
            {
                done += await CommitChunkAsync(set, fields, chunk, done, ct);
                progress?.Report(done);
                chunk.Clear();
            }
        }

        if (chunk.Count > 0)
        {
            done += await CommitChunkAsync(set, fields, chunk, done, ct);
            progress?.Report(done);
        }

        return done;
    }

    private async Task<int> CommitChunkAsync(CompiledSet set, List<RecordField> fields, List<object[]> chunk, long before, CancellationToken ct)
    {
        var table = set.Template.Static;
        await using var s = await db.BeginWriteAsync(ct);
        await db.PinAsync(s, set, write: true, ct);
        try
        {
            if (set.History is not null)
            {
                await CheckHistoryAsync(s, set, fields, chunk, before, ct);
            }

            if (s.Connection is NpgsqlConnection pg)
            {
                await CopyAsync(pg, table, fields, chunk, ct);
            }
            else
            {
                await InsertAllAsync(s, table, fields, chunk, ct);
            }
        }
        catch (Exception e) when (Db.Map(e, set.Name) is { } mapped)
        {
            throw new RecordsException(mapped.Code, $"{mapped.Message}; {before} row(s) of the load were committed before this chunk, none of it", mapped.Field, e);
        }

        // Note that nothing is announced to the hot caches (here or on other nodes): they hold rows that exist, and a
        // chunk commits only when every row of it is new.
        await s.CommitAsync(ct);
        return chunk.Count;
    }

    /// <summary>Refuses a chunk holding a key that lives in a history table (the main table's own key refuses the rest).</summary>
    private static async Task CheckHistoryAsync(Session s, CompiledSet set, List<RecordField> fields, List<object[]> chunk, long before, CancellationToken ct)
    {
        var at = set.Pks.Select(p => fields.IndexOf(p)).ToArray();
        if (at.Any(i => i < 0))
        {
            return; // Note that a generated key is new by construction.
        }

        var q = EngineStorage.Quote;
        var cols = string.Join(", ", set.Pks.Select(p => q(p.ColumnName)));
        var lhs = set.Pks.Count == 1 ? cols : "(" + cols + ")";
        var per = Math.Max(1, 500 / set.Pks.Count);
        var (min, max) = set.IntegerKeyed ? FirstKeyRange(chunk, at[0]) : (long.MinValue, long.MaxValue);
        foreach (var t in await SetCatalog.TablesAsync(s, set.Name, ct))
        {
            if (t.Kind != RecordTableKind.History || !t.MayHoldAny(min, max))
            {
                continue;
            }

            // Note that only rows whose key falls in the table's range are looked for there (none, for a load of new keys).
            var probe = set.IntegerKeyed && t.Ranged ? chunk.Where(row => row[at[0]] is DBNull || t.MayHold(Convert.ToInt64(row[at[0]], System.Globalization.CultureInfo.InvariantCulture))).ToList() : chunk;
            foreach (var part in probe.Chunk(per))
            {
                var args = new List<object?>(part.Length * at.Length);
                var tuples = new List<string>(part.Length);
                foreach (var row in part)
                {
                    var names = new List<string>(at.Length);
                    foreach (var i in at)
                    {
                        args.Add(row[i]);
                        names.Add("@p" + (args.Count - 1));
                    }

                    tuples.Add(set.Pks.Count == 1 ? names[0] : "(" + string.Join(", ", names) + ")");
                }

                await using var cmd = Db.Command(s, $"SELECT {cols} FROM {q(t.Name)} WHERE {lhs} IN ({(set.Pks.Count == 1 ? "" : "VALUES ")}{string.Join(", ", tuples)}) LIMIT 1", [.. args]);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                if (await r.ReadAsync(ct))
                {
                    var key = string.Join(", ", Enumerable.Range(0, at.Length).Select(i => Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
                    throw new RecordsException(RecordsErrorCode.DuplicateKey,
                        $"record set '{set.Name}' already holds key ({key}) in history table '{t.Name}'; {before} row(s) of the load were committed before this chunk, none of it");
                }
            }
        }
    }

    private static (long Min, long Max) FirstKeyRange(List<object[]> chunk, int at)
    {
        var (min, max) = (long.MaxValue, long.MinValue);
        foreach (var row in chunk)
        {
            if (row[at] is DBNull)
            {
                return (long.MinValue, long.MaxValue); // Note that the insert refuses it; the check stays whole until then.
            }

            var k = Convert.ToInt64(row[at], System.Globalization.CultureInfo.InvariantCulture);
            (min, max) = (Math.Min(min, k), Math.Max(max, k));
        }

        return (min, max);
    }

    private static async Task InsertAllAsync(Session s, string table, List<RecordField> fields, List<object[]> chunk, CancellationToken ct)
    {
        var q = EngineStorage.Quote;
        await using var cmd = Db.Command(s, $"INSERT INTO {q(table)} ({string.Join(", ", fields.Select(f => q(f.ColumnName)))}) VALUES ({string.Join(", ", fields.Select((_, i) => "@p" + i))})");
        var ps = new DbParameter[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            ps[i] = cmd.CreateParameter();
            ps[i].ParameterName = "p" + i;
            cmd.Parameters.Add(ps[i]);
        }

        await cmd.PrepareAsync(ct);
        foreach (var row in chunk)
        {
            for (var i = 0; i < row.Length; i++)
            {
                ps[i].Value = row[i];
            }

            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection c, string table, List<RecordField> fields, List<object[]> chunk, CancellationToken ct)
    {
        var q = EngineStorage.Quote;
        var types = fields.Select(PgType).ToArray();
        await using var copy = await c.BeginBinaryImportAsync($"COPY {q(table)} ({string.Join(", ", fields.Select(f => q(f.ColumnName)))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in chunk)
        {
            await copy.StartRowAsync(ct);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is DBNull)
                {
                    await copy.WriteNullAsync(ct);
                }
                else
                {
                    await WriteAsync(copy, row[i], types[i], ct);
                }
            }
        }

        await copy.CompleteAsync(ct);
    }

    /// <summary>
    /// Writes a value with its column's type, unboxed to it: a value written as object is matched to a converter on
    /// every call, which cost a bulk load on two cores about as much as the peer's whole client side.
    /// </summary>
    private static Task WriteAsync(NpgsqlBinaryImporter copy, object v, NpgsqlDbType? t, CancellationToken ct) => t switch
    {
        NpgsqlDbType.Integer when v is int i => copy.WriteAsync(i, NpgsqlDbType.Integer, ct),
        NpgsqlDbType.Bigint when v is long l => copy.WriteAsync(l, NpgsqlDbType.Bigint, ct),
        NpgsqlDbType.Real when v is double d => copy.WriteAsync((float)d, NpgsqlDbType.Real, ct),
        NpgsqlDbType.Double when v is double d => copy.WriteAsync(d, NpgsqlDbType.Double, ct),
        NpgsqlDbType.Boolean when v is bool b => copy.WriteAsync(b, NpgsqlDbType.Boolean, ct),
        NpgsqlDbType.Text when v is string x => copy.WriteAsync(x, NpgsqlDbType.Text, ct),
        NpgsqlDbType.Bytea when v is byte[] a => copy.WriteAsync(a, NpgsqlDbType.Bytea, ct),
        { } other => copy.WriteAsync(v, other, ct),
        null => copy.WriteAsync(v, ct),
    };

    private static NpgsqlDbType? PgType(RecordField f) => f.CustomDbType is not null ? null : f.Type switch
    {
        RecordFieldType.Integer => NpgsqlDbType.Integer,
        RecordFieldType.Long => NpgsqlDbType.Bigint,
        RecordFieldType.Float => NpgsqlDbType.Real,
        RecordFieldType.Double => NpgsqlDbType.Double,
        RecordFieldType.Boolean => NpgsqlDbType.Boolean,
        RecordFieldType.Bytes => NpgsqlDbType.Bytea,
        _ => NpgsqlDbType.Text,
    };
}
