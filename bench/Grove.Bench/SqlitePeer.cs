using Microsoft.Data.Sqlite;

namespace Grove.Bench;

/// <summary>Plain SQLite: a table with a primary key and a (pid, nm) index, WAL, synchronous=NORMAL, prepared statements.</summary>
internal sealed class SqlitePeer : IPeerTable
{
    private readonly SqliteConnection _c;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _stat;
    private readonly SqliteCommand _page;

    public SqlitePeer(string file)
    {
        SQLitePCL.Batteries_V2.Init();
        _c = new SqliteConnection($"Data Source={file}");
        _c.Open();
        Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" +
             "CREATE TABLE obj(id TEXT PRIMARY KEY, pid TEXT NOT NULL, nm TEXT NOT NULL, race INTEGER, tp TEXT, mime TEXT, len INTEGER, sha256 TEXT, mnt TEXT, ln TEXT, lbls TEXT," +
             " c TEXT, m TEXT, g TEXT, md INTEGER, ct INTEGER, lm INTEGER, expi INTEGER, v INTEGER, bk TEXT, meta TEXT, wtok INTEGER, wexp INTEGER, inl BLOB);" +
             "CREATE UNIQUE INDEX obj_pid_nm ON obj(pid, nm);");
        _insert = Prepare("INSERT INTO obj VALUES(@id,'root',@nm,1,NULL,'application/octet-stream',0,'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',NULL,NULL,NULL,NULL,NULL,NULL,420,@t,@t,NULL,1,NULL,@meta,NULL,NULL,x'')", "@id", "@nm", "@t", "@meta");
        _stat = Prepare("SELECT * FROM obj WHERE pid='root' AND nm=@nm", "@nm");
        _page = Prepare("SELECT * FROM obj WHERE pid='root' AND nm>@after ORDER BY nm LIMIT 1000", "@after");
    }

    private void Exec(string sql)
    {
        using var cmd = _c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var cmd = _c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names)
        {
            cmd.Parameters.Add(new SqliteParameter(n, null));
        }

        cmd.Prepare();
        return cmd;
    }

    public void Insert(int i)
    {
        _insert.Parameters[0].Value = Grove.Tree.ObjectIds.New();
        _insert.Parameters[1].Value = $"f{i:D8}";
        _insert.Parameters[2].Value = Environment.TickCount64;
        _insert.Parameters[3].Value = $"{{\"k\":{i % 1000}}}";
        _insert.ExecuteNonQuery();
    }

    public void Stat(int i)
    {
        _stat.Parameters[0].Value = $"f{i:D8}";
        using var r = _stat.ExecuteReader();
        r.Read();
        ReadRow(r);
    }

    public string? Page(string? after)
    {
        _page.Parameters[0].Value = after ?? "";
        using var r = _page.ExecuteReader();
        string? last = null;
        var n = 0;
        while (r.Read())
        {
            last = r.GetString(2);
            ReadRow(r);
            n++;
        }

        return n == 1000 ? last : null;
    }

    public void IndexMeta() => Exec("CREATE INDEX obj_k ON obj(json_extract(meta,'$.k'), id)");

    public void Query(int k)
    {
        using var cmd = _c.CreateCommand();
        cmd.CommandText = "SELECT * FROM obj WHERE json_extract(meta,'$.k')=@k ORDER BY id LIMIT 1000";
        cmd.Parameters.AddWithValue("@k", k);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ReadRow(r);
        }
    }

    /// <summary>Reads every column, as an application mapping rows to objects does.</summary>
    private static void ReadRow(SqliteDataReader r)
    {
        for (var i = 0; i < r.FieldCount; i++)
        {
            _ = r.IsDBNull(i) ? null : r.GetValue(i);
        }
    }

    public ValueTask DisposeAsync()
    {
        _c.Dispose();
        return ValueTask.CompletedTask;
    }
}
