using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

internal sealed partial class PostgresIndexer
{
    // A deadlock or serialization failure rolls the whole set back, and every step is a compare-and-swap or an
    // idempotent upsert, so running the set again is safe.
    private const int MaxAttempts = 8;

    private enum StepKind
    {
        Delete,
        DeleteUnread,
        Update,
        Insert,
        Ref,
    }

    private readonly record struct Step(StepKind Kind, string Id, string Name);

    /// <summary>
    /// Applies the set in one transaction: its statements go to the server in one batch (deletes, updates, inserts,
    /// reference counts, in the SQLite writer's order, then <see cref="ChangeSet.Statements"/>), then
    /// <see cref="ChangeSet.Sql"/>, then COMMIT; without <see cref="ChangeSet.Sql"/> the batch is the whole transaction.
    /// Once the commit is sent the outcome is the server's, whatever the token says.
    /// </summary>
    public async Task CommitAsync(ChangeSet changes, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (changes.IsEmpty)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitOnceAsync(changes, ct);
                return;
            }
            catch (PostgresException e) when (IsTransient(e) && attempt < MaxAttempts)
            {
                // Rolled back whole; run it again.
            }
            catch (PostgresException e) when (IsTransient(e))
            {
                throw new TreeException(TreeErrorCode.Conflict, $"the change kept colliding with concurrent changes ({e.SqlState})", e);
            }
        }
    }

    private async Task CommitOnceAsync(ChangeSet changes, CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);

        // Note that a set without a block of code goes as one batch without BEGIN/COMMIT: PostgreSQL runs it as one
        // implicit transaction (all or nothing) in one round trip, so its compare-and-swaps fail inside the database.
        var oneTrip = changes.Sql is null;
        await using var tx = oneTrip ? null : await connection.BeginTransactionAsync(ct);
        var steps = new List<Step>();
        var returned = new List<(Action<object> Callback, object Value)>();
        await using (var batch = Plan(changes, connection, tx, steps, oneTrip, out var rowSets))
        {
            if (batch.BatchCommands.Count > 0)
            {
                try
                {
                    await RunAsync(batch, rowSets, returned, ct);
                }
                catch (PostgresException e) when (!IsTransient(e) && Translate(e, batch, steps, changes.Statements, oneTrip) is { } mapped)
                {
                    throw mapped;
                }
                catch (EncoderFallbackException e)
                {
                    throw new TreeException(TreeErrorCode.InvalidMeta, $"a text value is not valid Unicode: {e.Message}", e);
                }

                if (!oneTrip && FirstConflict(batch, steps, steps.Count) is { } conflict)
                {
                    throw conflict;
                }
            }
        }

        if (changes.Sql is { } sql)
        {
            await sql(connection, tx, ct);
        }

        if (tx is not null)
        {
            await tx.CommitAsync(CancellationToken.None);
        }

        foreach (var (callback, value) in returned)
        {
            callback(value);
        }
    }

    /// <summary>
    /// Sends the batch; the values statements return are collected for after the commit. Note that a reader yields a
    /// result for each command that returns rows only, in order: <paramref name="rowSets"/> says whose each is.
    /// </summary>
    private static async Task RunAsync(NpgsqlBatch batch, List<EngineStatement?> rowSets, List<(Action<object>, object)> returned, CancellationToken ct)
    {
        if (!rowSets.Any(s => s?.Returned is not null))
        {
            await batch.ExecuteNonQueryAsync(ct);
            return;
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var k = 0;
        do
        {
            if (k < rowSets.Count && rowSets[k]?.Returned is { } callback && await reader.ReadAsync(ct) && !reader.IsDBNull(0))
            {
                returned.Add((callback, reader.GetValue(0)));
            }

            k++;
        }
        while (await reader.NextResultAsync(ct));
    }

    private NpgsqlBatch Plan(ChangeSet changes, NpgsqlConnection connection, NpgsqlTransaction? tx, List<Step> steps, bool checkInSql, out List<EngineStatement?> rowSets)
    {
        var batch = new NpgsqlBatch(connection, tx);
        var sets = new List<EngineStatement?>();
        foreach (var (id, expected) in changes.Deletes)
        {
            Add(new Step(StepKind.Delete, id, ""), Checked(PostgresSchema.Delete), P("id", NpgsqlDbType.Text, id), P("expected", NpgsqlDbType.Bigint, expected));
        }

        // Note that an unread delete always checks its count in SQL (its statement yields a row either way).
        foreach (var d in changes.UnreadDeletes)
        {
            sets.Add(null);
            Add(new Step(StepKind.DeleteUnread, d.Id, d.Name), ExpectCte(PostgresSchema.DeleteUnreadCte, "d", 1, batch.BatchCommands.Count),
                P("id", NpgsqlDbType.Text, d.Id), P("pid", NpgsqlDbType.Text, d.ParentId), P("nm", NpgsqlDbType.Text, d.Name), P("now", NpgsqlDbType.Bigint, d.Now));
        }

        foreach (var (row, expected) in changes.Updates)
        {
            var cmd = Add(new Step(StepKind.Update, row.Id, row.Name), Checked(PostgresSchema.Update), RowParameters(row));
            cmd.Parameters.Add(P("keepinl", NpgsqlDbType.Boolean, row.IsInline && row.Inline is null));
            cmd.Parameters.Add(P("expected", NpgsqlDbType.Bigint, expected));
        }

        foreach (var row in changes.Inserts)
        {
            Add(new Step(StepKind.Insert, row.Id, row.Name), PostgresSchema.Insert, RowParameters(row));
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var r in changes.Refs)
        {
            Add(new Step(StepKind.Ref, r.Sha256, r.Bucket), PostgresSchema.RefUpsert,
                P("bk", NpgsqlDbType.Text, r.Bucket), P("sha", NpgsqlDbType.Text, r.Sha256), P("len", NpgsqlDbType.Bigint, r.Length),
                P("d", NpgsqlDbType.Bigint, (long)r.Delta), P("now", NpgsqlDbType.Bigint, now));
        }

        // Note that statements follow the steps, so a step's index is its command's; error mapping finds them by command.
        foreach (var statement in changes.Statements)
        {
            var cmd = new NpgsqlBatchCommand(statement.ExpectRows is { } n ? ExpectSql(statement.Sql, n, batch.BatchCommands.Count) : statement.Sql);
            foreach (var (name, value) in statement.Parameters)
            {
                cmd.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
            }

            batch.BatchCommands.Add(cmd);
            if (statement.ExpectRows is not null || statement.Returned is not null)
            {
                sets.Add(statement);
            }
        }

        // The notice rides in the same batch and transaction; it is not a step, so error mapping never looks at it.
        if (steps.Count > 0 && NoticeOf(changes) is { } notice)
        {
            batch.BatchCommands.Add(notice);
            sets.Add(null);
        }

        rowSets = sets;
        return batch;

        string Checked(string sql)
        {
            if (!checkInSql)
            {
                return sql;
            }

            sets.Add(null);
            return ExpectSql(sql, 1, batch.BatchCommands.Count);
        }

        NpgsqlBatchCommand Add(Step step, string sql, params NpgsqlParameter[] parameters)
        {
            var cmd = new NpgsqlBatchCommand(sql);
            cmd.Parameters.AddRange(parameters);
            batch.BatchCommands.Add(cmd);
            steps.Add(step);
            return cmd;
        }
    }

    /// <summary>
    /// <paramref name="sql"/> (command <paramref name="index"/> of its batch) failing unless it changes
    /// <paramref name="rows"/> rows: the check runs in the database, so the batch can carry its own COMMIT. It fails
    /// with <c>invalid_text_representation</c> on a text naming the command (<see cref="CheckFailedAt"/>); the text
    /// holds the count, so it is not a constant the planner would fold.
    /// </summary>
    private static string ExpectSql(string sql, int rows, int index) =>
        $"WITH w AS ({sql} RETURNING 1) SELECT CASE WHEN c = {Invariant(rows)} THEN 0 ELSE ('{CheckMark}{Invariant(index)}:' || c)::int END FROM (SELECT count(*) AS c FROM w) n";

    /// <summary>As <see cref="ExpectSql"/> for a statement of CTEs ending before its SELECT: counts the rows of CTE <paramref name="cte"/>.</summary>
    private static string ExpectCte(string ctes, string cte, int rows, int index) =>
        $"{ctes} SELECT CASE WHEN c = {Invariant(rows)} THEN 0 ELSE ('{CheckMark}{Invariant(index)}:' || c)::int END FROM (SELECT count(*) AS c FROM {cte}) n";

    private const string CheckMark = "grove-check-";

    private static string Invariant(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The batch command whose row-count check failed, or -1 when <paramref name="e"/> is another error.</summary>
    private static int CheckFailedAt(PostgresException e)
    {
        var at = e.SqlState == PostgresErrorCodes.InvalidTextRepresentation ? e.MessageText.IndexOf(CheckMark, StringComparison.Ordinal) : -1;
        if (at < 0)
        {
            return -1;
        }

        var digits = e.MessageText.AsSpan(at + CheckMark.Length);
        var end = digits.IndexOf(':');
        return end > 0 && int.TryParse(digits[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) ? index : -1;
    }

    private static NpgsqlParameter[] RowParameters(TreeObject row)
    {
        var values = RowCodec.Values(row);
        var ps = new NpgsqlParameter[values.Length + 1];
        for (var i = 0; i < values.Length; i++)
        {
            var column = RowCodec.ColumnNames[i];
            ps[i] = P(column, PostgresSchema.TypeOf(column), values[i]);
        }

        ps[values.Length] = P("inl", NpgsqlDbType.Bytea, row.Inline);
        return ps;
    }

    /// <summary>The first compare-and-swap before <paramref name="end"/> that matched no row, as SQLite reports it.</summary>
    private static TreeException? FirstConflict(NpgsqlBatch batch, List<Step> steps, int end)
    {
        for (var i = 0; i < end; i++)
        {
            if (steps[i].Kind is StepKind.Delete or StepKind.Update && batch.BatchCommands[i].RecordsAffected == 0)
            {
                return new TreeException(TreeErrorCode.Conflict, $"object {steps[i].Id} changed or vanished during the operation");
            }
        }

        return null;
    }

    /// <summary>The tree error for a failed batch (or a statement's refusal), or null to let the server's error through.</summary>
    private static Exception? Translate(PostgresException e, NpgsqlBatch batch, List<Step> steps, List<EngineStatement> statements, bool checkedInSql)
    {
        var check = CheckFailedAt(e);
        var failed = check >= 0 ? check : e.BatchCommand is { } command ? batch.BatchCommands.IndexOf(command) : -1;
        if (failed < 0)
        {
            // Statements that completed report their counts; the failed one and those after it report -1.
            failed = 0;
            while (failed < steps.Count && batch.BatchCommands[failed].RecordsAffected >= 0)
            {
                failed++;
            }
        }

        // Note that without checks in SQL a compare-and-swap before the failure may have matched nothing.
        if (!checkedInSql && FirstConflict(batch, steps, Math.Min(failed, steps.Count)) is { } conflict)
        {
            return conflict;
        }

        if (check >= 0 && check < steps.Count)
        {
            return new TreeException(TreeErrorCode.Conflict, $"object {steps[check].Id} changed or vanished during the operation");
        }

        if (check >= 0 && check - steps.Count < statements.Count)
        {
            return statements[check - steps.Count].Refuse();
        }

        return e.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation when failed < steps.Count && steps[failed].Kind is StepKind.Insert or StepKind.Update =>
                new TreeException(TreeErrorCode.AlreadyExists, $"already exists: '{steps[failed].Name}' in its directory", e),
            PostgresErrorCodes.UniqueViolation => new TreeException(TreeErrorCode.AlreadyExists, "already exists", e),
            PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter =>
                new TreeException(TreeErrorCode.InvalidMeta, $"PostgreSQL cannot store this value (NUL characters are not allowed): {e.MessageText}", e),
            _ => null,
        };
    }

    private static bool IsTransient(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
