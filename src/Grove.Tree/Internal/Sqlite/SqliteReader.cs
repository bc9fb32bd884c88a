using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Sqlite;

/// <summary>
/// One pooled reader: a connection that reads through the file map (pages, queries) and one without it for the
/// prepared point look-ups. After any commit to the file (a row, or the change feed's entry for a change in another
/// mount's index) SQLite drops each connection's page cache and unmaps its whole map at its next read; a look-up of a
/// few pages paid that unmap, the map again and its page faults (~150 µs on the 2-core VM, and slower round trips
/// after it) where reading those pages into a small cache costs a few reads. Pages of rows keep the map, which
/// faults in far fewer times than they would read.
/// </summary>
internal sealed class SqliteReader : IDisposable
{
    public SqliteReader(string connectionString)
    {
        Connection = SqliteIndexer.OpenConnection(connectionString, readOnly: true);
        Points = SqliteIndexer.OpenConnection(connectionString, readOnly: true, mapped: false);
        ById = Prepare(Points, SqliteSchema.SelectFull + " FROM obj WHERE id=@a", "@a");
        ByName = Prepare(Points, SqliteSchema.SelectFull + " FROM obj WHERE pid=@a AND nm=@b", "@a", "@b");
        ListFirst = Prepare(Connection, SqliteSchema.Select + " FROM obj WHERE pid=@a ORDER BY nm LIMIT @n", "@a", "@n");
        ListAfter = Prepare(Connection, SqliteSchema.Select + " FROM obj WHERE pid=@a AND nm>@b ORDER BY nm LIMIT @n", "@a", "@b", "@n");
    }

    /// <summary>The mapped connection, for pages and queries.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>The connection of the point look-ups (<see cref="ById"/>, <see cref="ByName"/>), without the map.</summary>
    public SqliteConnection Points { get; }

    public SqliteCommand ById { get; }

    public SqliteCommand ByName { get; }

    public SqliteCommand ListFirst { get; }

    public SqliteCommand ListAfter { get; }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names)
        {
            cmd.Parameters.Add(new SqliteParameter(n, null));
        }

        cmd.Prepare();
        return cmd;
    }

    public void Dispose()
    {
        ById.Dispose();
        ByName.Dispose();
        ListFirst.Dispose();
        ListAfter.Dispose();
        Connection.Dispose();
        Points.Dispose();
    }
}
