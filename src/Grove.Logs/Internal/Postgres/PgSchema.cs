using Grove.Tree.Storage;
using Npgsql;

namespace Grove.Logs.Internal.Postgres;

/// <summary>The live tables: one row per task, one row per chunk of lines (a line block of at most 64 KiB of text).</summary>
internal static class PgSchema
{
    public const string StateColumns =
        "next_line, bytes, head_bytes, head_end, first_tail, dropped_bytes, tail_bytes, lines_cut, sealed, exit_code, sealed_at, activity";

    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS grove_log_tasks (
            task text COLLATE "C" PRIMARY KEY,
            next_line bigint NOT NULL DEFAULT 0,
            bytes bigint NOT NULL DEFAULT 0,
            head_bytes bigint NOT NULL DEFAULT 0,
            head_end bigint NOT NULL DEFAULT -1,
            first_tail bigint NOT NULL DEFAULT -1,
            dropped_bytes bigint NOT NULL DEFAULT 0,
            tail_bytes bigint NOT NULL DEFAULT 0,
            lines_cut bigint NOT NULL DEFAULT 0,
            sealed smallint NULL,
            exit_code integer NULL,
            sealed_at bigint NOT NULL DEFAULT 0,
            activity bigint NOT NULL);
        CREATE INDEX IF NOT EXISTS grove_log_tasks_idle ON grove_log_tasks (activity) WHERE sealed IS NULL;
        CREATE INDEX IF NOT EXISTS grove_log_tasks_sealed ON grove_log_tasks (sealed_at) WHERE sealed IS NOT NULL;
        CREATE TABLE IF NOT EXISTS grove_log_chunks (
            task text COLLATE "C" NOT NULL,
            first_line bigint NOT NULL,
            last_line bigint NOT NULL,
            tail boolean NOT NULL,
            text_bytes bigint NOT NULL,
            data bytea NOT NULL,
            PRIMARY KEY (task, first_line));
        """;

    /// <summary>The bus topic of live changes: a task id, on every append, seal and delete.</summary>
    public const string Topic = "logs";

    /// <summary>The live tables' schema steps, applied once per database through the tree's engine storage.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        SchemaMigration.Sql(1, "live tasks and their chunks of lines", Ddl),
    ];

    public static LiveState ReadState(NpgsqlDataReader r, int at = 0) => new()
    {
        Next = r.GetInt64(at),
        Bytes = r.GetInt64(at + 1),
        HeadBytes = r.GetInt64(at + 2),
        HeadEnd = r.GetInt64(at + 3),
        FirstTail = r.GetInt64(at + 4),
        DroppedBytes = r.GetInt64(at + 5),
        TailBytes = r.GetInt64(at + 6),
        LinesCut = r.GetInt64(at + 7),
        Sealed = r.IsDBNull(at + 8) ? null : (LogTaskStatus)r.GetInt16(at + 8),
        ExitCode = r.IsDBNull(at + 9) ? null : r.GetInt32(at + 9),
        SealedAt = r.GetInt64(at + 10),
        Activity = r.GetInt64(at + 11),
    };
}
