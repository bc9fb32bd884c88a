using Npgsql;

namespace Grove.Bench;

/// <summary>Plain PostgreSQL: the same table shape, one transaction per insert (autocommit), prepared statements.</summary>
internal sealed class PgPeer : IPeerTable
{
    private readonly NpgsqlDataSource _ds;
    private readonly NpgsqlConnection _c;

    private PgPeer(NpgsqlDataSource ds, NpgsqlConnection c)
    {
        _ds = ds;
        _c = c;
    }

    public static async Task<PgPeer> OpenAsync(string store)
    {
        var uri = new Uri(store);
        var user = Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]);
        var pass = uri.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[1]) : null;
        var cs = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Username = user,
            Password = pass,
            Database = uri.AbsolutePath.Trim('/'),
            MaxAutoPrepare = 16,
        };
        var ds = NpgsqlDataSource.Create(cs);
        var c = await ds.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(
            "DROP TABLE IF EXISTS peer_obj; CREATE TABLE peer_obj(id text COLLATE \"C\" PRIMARY KEY, pid text COLLATE \"C\" NOT NULL, nm text COLLATE \"C\" NOT NULL, race int, tp text, mime text, len bigint, sha256 text," +
            " mnt text, ln text, lbls jsonb, c text, m text, g text, md int, ct bigint, lm bigint, expi bigint, v bigint, bk text, meta jsonb, wtok bigint, wexp bigint, inl bytea);" +
            "CREATE UNIQUE INDEX peer_obj_pid_nm ON peer_obj(pid, nm);", c);
        await cmd.ExecuteNonQueryAsync();
        return new PgPeer(ds, c);
    }

    private NpgsqlCommand Cmd(string sql, params object[] values)
    {
        var cmd = new NpgsqlCommand(sql, _c);
        foreach (var v in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        }

        return cmd;
    }

    public void Insert(int i)
    {
        using var cmd = Cmd("INSERT INTO peer_obj VALUES($1,'root',$2,1,NULL,'application/octet-stream',0,'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',NULL,NULL,NULL,NULL,NULL,NULL,420,$3,$3,NULL,1,NULL,$4::jsonb,NULL,NULL,'')", Grove.Tree.ObjectIds.New(), $"f{i:D8}", Environment.TickCount64, $"{{\"k\":{i % 1000}}}");
        cmd.ExecuteNonQuery();
    }

    public void Stat(int i)
    {
        using var cmd = Cmd("SELECT * FROM peer_obj WHERE pid='root' AND nm=$1", $"f{i:D8}");
        using var r = cmd.ExecuteReader();
        r.Read();
        ReadRow(r);
    }

    /// <summary>Reads every column, as an application mapping rows to objects does.</summary>
    private static void ReadRow(NpgsqlDataReader r)
    {
        for (var i = 0; i < r.FieldCount; i++)
        {
            _ = r.IsDBNull(i) ? null : r.GetValue(i);
        }
    }

    public string? Page(string? after)
    {
        using var cmd = Cmd("SELECT * FROM peer_obj WHERE pid='root' AND nm>$1 ORDER BY nm LIMIT 1000", after ?? "");
        using var r = cmd.ExecuteReader();
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

    public void IndexMeta()
    {
        using var cmd = Cmd("CREATE INDEX peer_obj_k ON peer_obj((meta->'k'), id)");
        cmd.ExecuteNonQuery();
    }

    public void Query(int k)
    {
        using var cmd = Cmd("SELECT * FROM peer_obj WHERE meta->'k' = $1::jsonb ORDER BY id LIMIT 1000", k.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ReadRow(r);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _c.DisposeAsync();
        await _ds.DisposeAsync();
    }
}
