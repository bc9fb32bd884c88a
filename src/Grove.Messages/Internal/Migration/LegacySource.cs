using System.Data.Common;
using System.Globalization;
using Grove.Tree.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Grove.Messages.Internal.Migration;

/// <summary>
/// The legacy database a migration reads: a SQLite file (read-only, shared) or a PostgreSQL database. Every
/// identifier comes from the caller's flags, so each is checked against the table's real columns and quoted.
/// </summary>
internal sealed class LegacySource : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _pg;

    private LegacySource(string display, string connectionString, NpgsqlDataSource? pg, string? sqlitePath = null)
    {
        SqlitePath = sqlitePath;
        Display = display;
        _connectionString = connectionString;
        _pg = pg;
    }

    /// <summary>The source as shown in reports (no password).</summary>
    public string Display { get; }

    public bool IsPostgres => _pg is not null;

    /// <summary>The SQLite file's full path, or null for PostgreSQL.</summary>
    public string? SqlitePath { get; }

    public static LegacySource Open(string from)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        if (from.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = Path.GetFullPath(from["sqlite:".Length..]);
            if (!File.Exists(path))
            {
                throw MessageException.Invalid($"the migration source {path} does not exist");
            }

            var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
            return new LegacySource("sqlite:" + path, cs, null, path);
        }

        var spec = StoreSpec.Parse(from);
        if (spec.Kind != StoreSpec.PostgresKind)
        {
            throw MessageException.Invalid($"'{spec.Display}' is not a migration source: use sqlite:PATH or postgres://user:pass@host:port/db");
        }

        var connection = PostgresUrl.ToConnectionString(from);
        return new LegacySource(spec.Display, connection, NpgsqlDataSource.Create(connection));
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (_pg is not null)
        {
            return await _pg.OpenConnectionAsync(ct);
        }

        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        return c;
    }

    /// <summary>Fails with <c>invalid_argument</c> naming the flag when the table or a named column is missing.</summary>
    public async Task CheckColumnsAsync(string table, IEnumerable<(string Flag, string? Column)> columns, CancellationToken ct)
    {
        List<string> have = [];
        await using (var c = await OpenAsync(ct))
        {
            await using var cmd = EngineStorage.Command(c, null, $"SELECT * FROM {EngineStorage.Quote(table)} WHERE 1 = 0");
            try
            {
                await using var r = await cmd.ExecuteReaderAsync(ct);
                for (var i = 0; i < r.FieldCount; i++)
                {
                    have.Add(r.GetName(i));
                }
            }
            catch (DbException e)
            {
                throw MessageException.Invalid($"the migration source has no table '{table}' ({e.Message})");
            }
        }

        var missing = columns.Where(x => x.Column is not null && !have.Contains(x.Column, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (missing.Length > 0)
        {
            throw MessageException.Invalid(string.Join("; ", missing.Select(m => $"the table '{table}' has no column '{m.Column}' ({m.Flag})")) + $"; its columns: {string.Join(", ", have)}");
        }
    }

    public static long ToLong(object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        decimal d => (long)d,
        string t when long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw MessageException.Invalid($"the id column must hold integers (found '{value}')"),
    };

    public ValueTask DisposeAsync() => _pg?.DisposeAsync() ?? ValueTask.CompletedTask;
}
