using System.Data.Common;
using Npgsql;

namespace Grove.Tree.Storage;

/// <summary>
/// The sanctioned way for an engine (task logs, records…) to own tables in the database the tree uses: the SQLite
/// file of the data folder or the PostgreSQL database of the store. It opens connections, applies an engine's
/// schema migrations once per database (a version table, <c>grove_schema</c>, records each engine's version), and
/// quotes identifiers. Statements that must change together with tree objects go into
/// <see cref="TreeBatch.WithSql"/>. Get it from <see cref="TreeService.Engines"/>.
/// </summary>
public abstract class EngineStorage : IAsyncDisposable
{
    /// <summary>The SQL the database speaks.</summary>
    public abstract SqlFlavor Flavor { get; }

    /// <summary>The pooled PostgreSQL data source (COPY, batches), or null for SQLite.</summary>
    public virtual NpgsqlDataSource? Postgres => null;

    /// <summary>Opens a connection, ready for statements (SQLite: WAL, busy timeout and durability set as the tree's).</summary>
    public abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken ct);

    /// <summary>
    /// Tells the storage that an engine committed a write transaction on one of its connections (SQLite: the WAL is
    /// then copied into the database file by a thread of its own, not inside some later commit).
    /// </summary>
    public virtual void WriteCommitted()
    {
    }

    /// <summary>
    /// Brings <paramref name="engine"/>'s tables to the newest of <paramref name="migrations"/>: each migration newer
    /// than the recorded version runs, in order, in one transaction with the version update, while a lock keeps other
    /// nodes (PostgreSQL) or connections (SQLite) out. Returns the version now in force. Fails with
    /// <c>not_supported</c> when the database holds a newer version than this code knows (a newer Grove wrote it).
    /// </summary>
    public async Task<int> MigrateAsync(string engine, IReadOnlyList<SchemaMigration> migrations, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(engine);
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException($"migrations of '{engine}' must be numbered 1, 2, 3… in order; #{i + 1} is {migrations[i].Version}", nameof(migrations));
            }
        }

        await using var connection = await OpenConnectionAsync(ct);
        await using var tx = await BeginMigrationAsync(connection, engine, ct);
        await ExecAsync(connection, tx, """
            CREATE TABLE IF NOT EXISTS grove_schema (
                engine TEXT NOT NULL PRIMARY KEY,
                version INTEGER NOT NULL,
                description TEXT NOT NULL,
                applied BIGINT NOT NULL)
            """, ct);
        var current = 0;
        await using (var read = Command(connection, tx, "SELECT version FROM grove_schema WHERE engine = @e"))
        {
            Parameter(read, "e", engine);
            if (await read.ExecuteScalarAsync(ct) is { } v and not DBNull)
            {
                current = Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (current > migrations.Count)
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"the database holds '{engine}' tables of schema version {current}, newer than this Grove knows ({migrations.Count}); upgrade Grove");
        }

        foreach (var m in migrations.Skip(current))
        {
            await m.Apply(connection, tx, ct);
            await using var record = Command(connection, tx, """
                INSERT INTO grove_schema (engine, version, description, applied) VALUES (@e, @v, @d, @t)
                ON CONFLICT (engine) DO UPDATE SET version = excluded.version, description = excluded.description, applied = excluded.applied
                """);
            Parameter(record, "e", engine);
            Parameter(record, "v", m.Version);
            Parameter(record, "d", m.Description);
            Parameter(record, "t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return migrations.Count;
    }

    /// <summary>The identifier quoted for this database (<c>"name"</c>, inner quotes doubled); refuses NUL and empty names.</summary>
    public static string Quote(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        if (identifier.Contains('\0', StringComparison.Ordinal) || identifier.Length > 63)
        {
            throw new ArgumentException($"'{identifier}' cannot be an SQL identifier (NUL, or over 63 characters)", nameof(identifier));
        }

        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A command on a connection, in a transaction when one is given.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        if (tx is not null)
        {
            // Note that without one, a SQLite command keeps the connection's current transaction (the tree's BEGIN).
            cmd.Transaction = tx;
        }

        return cmd;
    }

    /// <summary>A command with its named parameters (<c>@name</c> in the SQL), in a transaction when one is given.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var cmd = Command(connection, tx, sql);
        foreach (var (name, value) in parameters)
        {
            Parameter(cmd, name, value);
        }

        return cmd;
    }

    /// <summary>Adds a named parameter (<c>@name</c> in the SQL).</summary>
    public static void Parameter(DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    /// <summary>Runs a statement.</summary>
    public static async Task ExecAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = Command(connection, tx, sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Begins the migration transaction, holding the database's lock for <paramref name="engine"/>.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, string engine, CancellationToken ct);

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();
}

/// <summary>The SQL an <see cref="EngineStorage"/> speaks.</summary>
public enum SqlFlavor
{
    /// <summary>SQLite 3.45 or later (JSON functions, <c>RETURNING</c>, <c>ON CONFLICT</c>).</summary>
    Sqlite,

    /// <summary>PostgreSQL 13 or later.</summary>
    Postgres,
}

/// <summary>One step of an engine's schema, applied once per database by <see cref="EngineStorage.MigrateAsync"/>.</summary>
/// <param name="Version">1 for the first step, then 2, 3…</param>
/// <param name="Description">What the step does, recorded with the version.</param>
/// <param name="Apply">The step's statements, run in the migration's transaction.</param>
public sealed record SchemaMigration(int Version, string Description, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, CancellationToken, Task> Apply)
{
    /// <summary>A step that runs one SQL text (several statements separated by <c>;</c> are fine on both databases).</summary>
    public static SchemaMigration Sql(int version, string description, string sql) =>
        new(version, description, (c, tx, ct) => EngineStorage.ExecAsync(c, tx, sql, ct));
}
