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
        Update,
        Insert,
        Ref,
    }

    private readonly record struct Step(StepKind Kind, string Id, string Name);

    /// <summary>
    /// Applies the set in one transaction: its statements go to the server in one batch (deletes, updates, inserts,
    /// reference counts, in the SQLite writer's order), then <see cref="ChangeSet.Sql"/>, then COMMIT. Once the commit is sent the
    /// outcome is the server's, whatever the token says.
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
        if (changes.Updates.Count == 0 && changes.Deletes.Count == 0 && changes.Sql is null)
        {
            await CommitInsertsAsync(changes, connection, ct);
            return;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        var steps = new List<Step>();
        await using (var batch = Plan(changes, connection, tx, steps))
        {
            if (steps.Count > 0)
            {
                try
                {
                    await batch.ExecuteNonQueryAsync(ct);
                }
                catch (PostgresException e) when (!IsTransient(e) && Translate(e, batch, steps) is { } mapped)
                {
                    throw mapped;
                }
                catch (EncoderFallbackException e)
                {
                    throw new TreeException(TreeErrorCode.InvalidMeta, $"a text value is not valid Unicode: {e.Message}", e);
                }

                if (FirstConflict(batch, steps, steps.Count) is { } conflict)
                {
                    throw conflict;
                }
            }
        }

        if (changes.Sql is { } sql)
        {
            await sql(connection, tx, ct);
        }

        await tx.CommitAsync(CancellationToken.None);
    }

    /// <summary>
    /// A set of inserts and reference counts has no compare-and-swap to check before committing, so it goes as one
    /// batch without BEGIN/COMMIT: PostgreSQL runs a batch as one implicit transaction (all or nothing), in one round trip.
    /// </summary>
    private async Task CommitInsertsAsync(ChangeSet changes, NpgsqlConnection connection, CancellationToken ct)
    {
        var steps = new List<Step>();
        await using var batch = Plan(changes, connection, null, steps);
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (!IsTransient(e) && Translate(e, batch, steps) is { } mapped)
        {
            throw mapped;
        }
        catch (EncoderFallbackException e)
        {
            throw new TreeException(TreeErrorCode.InvalidMeta, $"a text value is not valid Unicode: {e.Message}", e);
        }
    }

    private NpgsqlBatch Plan(ChangeSet changes, NpgsqlConnection connection, NpgsqlTransaction? tx, List<Step> steps)
    {
        var batch = new NpgsqlBatch(connection, tx);
        foreach (var (id, expected) in changes.Deletes)
        {
            Add(new Step(StepKind.Delete, id, ""), PostgresSchema.Delete, P("id", NpgsqlDbType.Text, id), P("expected", NpgsqlDbType.Bigint, expected));
        }

        foreach (var (row, expected) in changes.Updates)
        {
            var cmd = Add(new Step(StepKind.Update, row.Id, row.Name), PostgresSchema.Update, RowParameters(row));
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

        // The notice rides in the same batch and transaction; it is not a step, so error mapping never looks at it.
        if (steps.Count > 0 && NoticeOf(changes) is { } notice)
        {
            batch.BatchCommands.Add(notice);
        }

        return batch;

        NpgsqlBatchCommand Add(Step step, string sql, params NpgsqlParameter[] parameters)
        {
            var cmd = new NpgsqlBatchCommand(sql);
            cmd.Parameters.AddRange(parameters);
            batch.BatchCommands.Add(cmd);
            steps.Add(step);
            return cmd;
        }
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

    /// <summary>The tree error for a failed batch, or null to let the server's error through.</summary>
    private static TreeException? Translate(PostgresException e, NpgsqlBatch batch, List<Step> steps)
    {
        // Statements that completed report their counts; the failed one and those after it report -1.
        var failed = 0;
        while (failed < steps.Count && batch.BatchCommands[failed].RecordsAffected >= 0)
        {
            failed++;
        }

        if (FirstConflict(batch, steps, failed) is { } conflict)
        {
            return conflict;
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
