using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>Insert, update, upsert and delete of single rows, each in one transaction that also announces the change.</summary>
internal sealed class RowWriter(Db db, SetCatalog catalog, ChangeFeed feed)
{
    public async Task<RecordRow> InsertAsync(CompiledSet set, IReadOnlyDictionary<string, object?> row, bool upsert, CancellationToken ct)
    {
        var (fields, values) = RowPlan.ForInsert(set, row);
        var auto = set.Fields.Any(f => f.AutoIncreasement) && !row.ContainsKey(set.Pks[0].Name);
        var key = auto ? null : RowPlan.KeyOf(set, row);
        var table = key is null ? set.Template.Static : RowPlan.TableOf(set, key);
        if (set.Template.IsDynamic)
        {
            await catalog.EnsureDynamicAsync(set, table, ct);
        }
        else if (!upsert && db.IsPostgres && LoneInsert.Sql(set, fields, key is not null) is { } lone
            && await LoneInsert.TryAsync(db, set, lone, values, key, ct) is { } inserted)
        {
            feed.Committed(HotCache.Key(set.Name, set.KeyText(key ?? set.Key(set.Pks.Select(p => inserted[p.Name]).ToList()))));
            return inserted;
        }

        await using var s = await db.BeginWriteAsync(ct);
        await db.PinAsync(s, set, write: true, ct);
        if (key is not null && set.History is not null)
        {
            foreach (var t in await SetCatalog.TablesAsync(s, set.Name, ct))
            {
                if (t.Kind != RecordTableKind.History || !MayHold(set, t, key) || !await ExistsAsync(s, set, t.Name, key, ct))
                {
                    continue;
                }

                if (!upsert)
                {
                    throw new RecordsException(RecordsErrorCode.DuplicateKey, $"record set '{set.Name}' already holds this key (in history table '{t.Name}')");
                }

                var updated = await UpdateInAsync(s, set, t.Name, key, row, checkVersion: false, ct) ?? throw new InvalidOperationException("row vanished");
                return await FinishAsync(s, set, key, updated, announce: true, ct);
            }
        }

        var q = EngineStorage.Quote;
        var sql = $"INSERT INTO {q(table)} ({string.Join(", ", fields.Select(f => q(f.ColumnName)))}) VALUES ({string.Join(", ", fields.Select((_, i) => "@p" + i))})";
        if (upsert)
        {
            var sets = set.Fields.Where(f => Updatable(set, f) && fields.Contains(f) && row.ContainsKey(f.Name))
                .Select(f => $"{q(f.ColumnName)} = excluded.{q(f.ColumnName)}").ToList();
            if (set.Version is { } v)
            {
                sets.Add($"{q(v.ColumnName)} = {q(table)}.{q(v.ColumnName)} + 1");
            }

            var target = string.Join(", ", set.Pks.Select(p => q(p.ColumnName)));
            sql += sets.Count == 0 ? $" ON CONFLICT ({target}) DO NOTHING" : $" ON CONFLICT ({target}) DO UPDATE SET {string.Join(", ", sets)}";
        }

        sql += $" RETURNING {set.AllColumns}";
        RecordRow? result;
        try
        {
            await using var cmd = Db.Command(s, sql, [.. values]);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            result = await r.ReadAsync(ct) ? RowPlan.Read(set, r, table) : null;
        }
        catch (Exception e) when (Db.Map(e, set.Name) is { } mapped)
        {
            throw mapped;
        }

        result ??= await GetInAsync(s, set, table, key!, ct) ?? throw new InvalidOperationException("upsert returned nothing");
        // Note that a plain insert is announced to no other node: hot caches hold rows that exist, and this key had none
        // (the insert would have failed), so no node holds a copy; on PostgreSQL a NOTIFY would also hold a database-wide
        // lock through the commit's flush, one inserter after another.
        return await FinishAsync(s, set, key ?? set.Key(set.Pks.Select(p => result[p.Name]).ToList()), result, announce: upsert, ct);
    }

    private async Task<RecordRow> FinishAsync(Session s, CompiledSet set, object[] key, RecordRow row, bool announce, CancellationToken ct)
    {
        var cacheKey = HotCache.Key(set.Name, set.KeyText(key));
        if (announce)
        {
            await feed.PublishAsync(s, cacheKey, ct);
        }

        await s.CommitAsync(ct);
        feed.Committed(cacheKey);
        return row;
    }

    private static bool Updatable(CompiledSet set, RecordField f) =>
        f.Update && !f.Readonly && !f.IsVersion && !f.AutoIncreasement && !set.Pks.Contains(f);

    /// <summary>Updates the given fields of the row with the given key, wherever it is (main, then history newest first).</summary>
    public async Task<RecordRow> UpdateAsync(CompiledSet set, IReadOnlyDictionary<string, object?> row, CancellationToken ct)
    {
        RowPlan.CheckKeys(set, row);
        var key = RowPlan.KeyOf(set, row);
        if (set.Version is { } v && (!row.TryGetValue(v.Name, out var given) || given is null))
        {
            throw RecordsException.Argument($"field '{v.Name}' is the version: give the version you read", v.Name);
        }

        await using var s = await db.BeginWriteAsync(ct);
        await db.PinAsync(s, set, write: true, ct);
        foreach (var table in await TablesForKeyAsync(db, s, set, key, ct))
        {
            if (await UpdateInAsync(s, set, table, key, row, checkVersion: true, ct) is { } updated)
            {
                return await FinishAsync(s, set, key, updated, announce: true, ct);
            }

            if (await ExistsAsync(s, set, table, key, ct))
            {
                throw new RecordsException(RecordsErrorCode.Conflict, $"the row of record set '{set.Name}' changed since version {row[set.Version!.Name]} was read", set.Version!.Name);
            }
        }

        throw new RecordsException(RecordsErrorCode.NotFound, $"record set '{set.Name}' holds no row with key {set.KeyText(key)}");
    }

    private static async Task<RecordRow?> UpdateInAsync(Session s, CompiledSet set, string table, object[] key, IReadOnlyDictionary<string, object?> row, bool checkVersion, CancellationToken ct)
    {
        var q = EngineStorage.Quote;
        var fields = set.Fields.Where(f => Updatable(set, f) && row.ContainsKey(f.Name)).ToList();
        var assignments = fields.Select((f, i) => $"{q(f.ColumnName)} = @p{i}").ToList();
        var where = set.KeyWhere();
        var args = fields.Select(f => ValueCodec.ToDb(f, row[f.Name])).ToList<object?>();
        if (set.Version is { } v)
        {
            assignments.Add($"{q(v.ColumnName)} = {q(v.ColumnName)} + 1");
            if (checkVersion)
            {
                where += $" AND {q(v.ColumnName)} = @p{args.Count}";
                args.Add(ValueCodec.ToDb(v, row[v.Name]));
            }
        }

        if (assignments.Count == 0)
        {
            return await GetInAsync(s, set, table, key, ct);
        }

        try
        {
            await using var cmd = Db.Command(s, $"UPDATE {q(table)} SET {string.Join(", ", assignments)} WHERE {where} RETURNING {set.AllColumns}", [.. args]);
            RowPlan.AddKey(cmd, key);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct) ? RowPlan.Read(set, r, table) : null;
        }
        catch (Exception e) when (Db.Map(e, set.Name) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>Deletes the row with the key wherever it is; false when there was none.</summary>
    public async Task<bool> DeleteAsync(CompiledSet set, IReadOnlyList<object?> keyValues, CancellationToken ct)
    {
        var key = set.Key(keyValues);
        await using var s = await db.BeginWriteAsync(ct);
        await db.PinAsync(s, set, write: true, ct);
        foreach (var table in await TablesForKeyAsync(db, s, set, key, ct))
        {
            await using var cmd = Db.Command(s, $"DELETE FROM {EngineStorage.Quote(table)} WHERE {set.KeyWhere()}");
            RowPlan.AddKey(cmd, key);
            if (await cmd.ExecuteNonQueryAsync(ct) > 0)
            {
                await FinishAsync(s, set, key, null!, announce: true, ct);
                return true;
            }
        }

        return false;
    }

    /// <summary>The tables that may hold a key: its main table, then the history tables newest first.</summary>
    public static async Task<List<string>> TablesForKeyAsync(Db db, Session s, CompiledSet set, object[] key, CancellationToken ct)
    {
        var main = RowPlan.TableOf(set, key);
        if (set.Template.IsDynamic && !await db.TableExistsAsync(s, main, ct))
        {
            return [];
        }

        return set.History is null ? [main] : ForKey(set, await SetCatalog.TablesAsync(s, set.Name, ct), key, main);
    }

    /// <summary>Of a set's tables, the main table and the history tables (newest first) that may hold the key.</summary>
    public static List<string> ForKey(CompiledSet set, IReadOnlyList<RecordTableInfo> all, object[] key, string? main = null)
    {
        var tables = new List<string> { main ?? RowPlan.TableOf(set, key) };
        foreach (var t in all)
        {
            if (t.Kind == RecordTableKind.History && MayHold(set, t, key))
            {
                tables.Add(t.Name);
            }
        }

        return tables;
    }

    public static async Task<RecordRow?> GetInAsync(Session s, CompiledSet set, string table, object[] key, CancellationToken ct)
    {
        await using var cmd = Db.Command(s, $"SELECT {set.AllColumns} FROM {EngineStorage.Quote(table)} WHERE {set.KeyWhere()}");
        RowPlan.AddKey(cmd, key);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? RowPlan.Read(set, r, table) : null;
    }

    /// <summary>Whether a history table may hold the key, by the range of its first key field where the table keeps one.</summary>
    public static bool MayHold(CompiledSet set, RecordTableInfo table, object[] key) =>
        !set.IntegerKeyed || table.MayHold(Convert.ToInt64(key[0], System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<bool> ExistsAsync(Session s, CompiledSet set, string table, object[] key, CancellationToken ct)
    {
        await using var cmd = Db.Command(s, $"SELECT 1 FROM {EngineStorage.Quote(table)} WHERE {set.KeyWhere()}");
        RowPlan.AddKey(cmd, key);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }
}
