using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// A plain insert on PostgreSQL as one statement in its own implicit transaction: one round trip, where a transaction
/// (the table list read, a table pinned, the insert, the commit) takes three or four. The statement itself checks, in
/// the catalog it reads, that no history table may hold the key (by the tables' key ranges); when one may, it inserts
/// nothing and the caller takes the full path, which looks in those tables.
/// </summary>
/// <remarks>
/// The insert locks the main table before the statement's snapshot is taken, so on a partitioned set a DETACH (which
/// locks it exclusively) either committed before and is seen in the catalog, or waits until this insert commits.
/// </remarks>
internal static class LoneInsert
{
    /// <summary>The statement for a row with these fields, or null when the set needs the full path (a dynamic tableName).</summary>
    public static string? Sql(CompiledSet set, IReadOnlyList<RecordField> fields, bool keyGiven)
    {
        if (set.Template.IsDynamic)
        {
            return null;
        }

        var q = EngineStorage.Quote;
        var into = $"INSERT INTO {q(set.Template.Static)} ({string.Join(", ", fields.Select(f => q(f.ColumnName)))})";
        var returning = $" RETURNING {set.AllColumns}";
        if (set.History is null || !keyGiven)
        {
            // Note that a generated key is new by construction: no history table holds it.
            return $"{into} VALUES ({string.Join(", ", fields.Select((_, i) => "@p" + i))}){returning}";
        }

        // Note that INSERT … SELECT types its values from the SELECT, not from the columns, so each is cast to its column's type.
        var values = string.Join(", ", fields.Select((f, i) => $"CAST(@p{i} AS {Ddl.ColumnType(f, SqlFlavor.Postgres)})"));
        var range = set.IntegerKeyed ? " AND (ranged <> 1 OR (key_min <= @g1 AND @g1 <= key_max))" : "";
        return $"{into} SELECT {values} WHERE NOT EXISTS (SELECT 1 FROM grove_record_tables WHERE set_name = @g0 AND kind = 'history'{range}){returning}";
    }

    /// <summary>Inserts the row in one statement; null when a history table may hold its key (nothing was written).</summary>
    public static async Task<RecordRow?> TryAsync(Db db, CompiledSet set, string sql, List<object> values, object[]? key, CancellationToken ct)
    {
        await using var c = await db.Storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, sql);
        for (var i = 0; i < values.Count; i++)
        {
            EngineStorage.Parameter(cmd, "p" + i, values[i]);
        }

        if (set.History is not null && key is not null)
        {
            EngineStorage.Parameter(cmd, "g0", set.Name);
            if (set.IntegerKeyed)
            {
                EngineStorage.Parameter(cmd, "g1", Convert.ToInt64(key![0], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        try
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct) ? RowPlan.Read(set, r, set.Template.Static) : null;
        }
        catch (Exception e) when (Db.Map(e, set.Name) is { } mapped)
        {
            throw mapped;
        }
    }
}
