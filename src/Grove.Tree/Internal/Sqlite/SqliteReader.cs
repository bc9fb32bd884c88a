using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Sqlite;

/// <summary>One pooled read connection with its prepared point-lookup statements.</summary>
internal sealed class SqliteReader : IDisposable
{
    public SqliteReader(string connectionString)
    {
        Connection = SqliteIndexer.OpenConnection(connectionString, readOnly: true);
        ById = Prepare(SqliteSchema.SelectFull + " FROM obj WHERE id=@a", "@a");
        ByName = Prepare(SqliteSchema.SelectFull + " FROM obj WHERE pid=@a AND nm=@b", "@a", "@b");
        ListFirst = Prepare(SqliteSchema.Select + " FROM obj WHERE pid=@a ORDER BY nm LIMIT @n", "@a", "@n");
        ListAfter = Prepare(SqliteSchema.Select + " FROM obj WHERE pid=@a AND nm>@b ORDER BY nm LIMIT @n", "@a", "@b", "@n");
    }

    public SqliteConnection Connection { get; }

    public SqliteCommand ById { get; }

    public SqliteCommand ByName { get; }

    public SqliteCommand ListFirst { get; }

    public SqliteCommand ListAfter { get; }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var cmd = Connection.CreateCommand();
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
    }
}
