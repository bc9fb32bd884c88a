using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Sqlite;

/// <summary>
/// One pooled reader: a connection that reads through the file map and one without it, for point look-ups made right
/// after a commit. After any commit to the file (a row, or the change feed's entry for a change in another mount's
/// index) SQLite drops each connection's page cache and unmaps its whole map at its next read; a look-up of a few
/// pages paid that unmap, the map again and its page faults (~150 µs on the 2-core VM, and slower round trips after
/// it) where reading those pages into a small cache costs a few reads. While the file is quiet the map is cheaper
/// (no copies): see <see cref="PointCommand"/>.
/// </summary>
internal sealed class SqliteReader : IDisposable
{
    // Note that these are the file's versions when each connection last read (-1: never).
    private long _mapSeen = -1;
    private long _pointSeen = -1;
    private bool _usedPoints;

    public SqliteReader(string connectionString)
    {
        Connection = SqliteIndexer.OpenConnection(connectionString, readOnly: true);
        Points = SqliteIndexer.OpenConnection(connectionString, readOnly: true, mapped: false);
        ById = Prepare(Connection, SqliteSchema.SelectFull + " FROM obj WHERE id=@a", "@a");
        ByName = Prepare(Connection, SqliteSchema.SelectFull + " FROM obj WHERE pid=@a AND nm=@b", "@a", "@b");
        PointById = Prepare(Points, SqliteSchema.SelectFull + " FROM obj WHERE id=@a", "@a");
        PointByName = Prepare(Points, SqliteSchema.SelectFull + " FROM obj WHERE pid=@a AND nm=@b", "@a", "@b");
        ListFirst = Prepare(Connection, SqliteSchema.Select + " FROM obj WHERE pid=@a ORDER BY nm LIMIT @n", "@a", "@n");
        ListAfter = Prepare(Connection, SqliteSchema.Select + " FROM obj WHERE pid=@a AND nm>@b ORDER BY nm LIMIT @n", "@a", "@b", "@n");
    }

    /// <summary>The mapped connection, for pages and queries.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>The connection without the map, for point look-ups right after a commit.</summary>
    public SqliteConnection Points { get; }

    /// <summary>Notes that a read made at <paramref name="version"/> is done (on the mapped connection unless it took the other).</summary>
    public void Read(long version)
    {
        if (!_usedPoints)
        {
            _mapSeen = version;
        }

        _usedPoints = false;
    }

    /// <summary>
    /// The point look-up to run at the file's version <paramref name="version"/>: on the mapped connection when it read
    /// at that version already (nothing to re-map), or when the previous look-up off the map did too (the file is quiet:
    /// re-map once, then read without copies); else, right after a commit, on the connection without the map.
    /// </summary>
    public SqliteCommand PointCommand(long version, bool byName)
    {
        if (version == _mapSeen || version == _pointSeen)
        {
            _mapSeen = version;
            return byName ? ByName : ById;
        }

        _pointSeen = version;
        _usedPoints = true;
        return byName ? PointByName : PointById;
    }

    public SqliteCommand PointById { get; }

    public SqliteCommand PointByName { get; }

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
        PointById.Dispose();
        PointByName.Dispose();
        ListFirst.Dispose();
        ListAfter.Dispose();
        Connection.Dispose();
        Points.Dispose();
    }
}
