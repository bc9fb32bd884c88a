using System.Text.Json;
using Grove.Tree.Internal;
using Grove.Tree.Internal.Sql;
using Microsoft.Data.Sqlite;

namespace Grove.Tree.Tests.Query;

/// <summary>An in-memory SQLite database with the <c>obj</c> table, filled with the given objects.</summary>
internal sealed class SqliteTestDb : IDisposable
{
    public const string Schema = """
        CREATE TABLE obj (
          id TEXT PRIMARY KEY, pid TEXT NOT NULL, nm TEXT NOT NULL, race INTEGER NOT NULL, tp TEXT, mime TEXT,
          len INTEGER, sha256 TEXT, mnt TEXT, ln TEXT, lbls TEXT, c TEXT, m TEXT, g TEXT, md INTEGER, ct INTEGER,
          lm INTEGER, expi INTEGER, v INTEGER, bk TEXT, meta TEXT, inl BLOB, wtok INTEGER, wexp INTEGER);
        """;

    public SqliteTestDb(IEnumerable<TreeObject> objects, params string[] indexedKeys)
    {
        SQLitePCL.Batteries_V2.Init();
        Connection = new SqliteConnection("Data Source=:memory:");
        Connection.Open();
        Connection.CreateFunction("regexp", (string pattern, object? input) => RegexCache.IsMatch(pattern, input));
        Execute(Schema);
        foreach (var key in indexedKeys)
        {
            Execute(SqlQueryBuilder.SqliteMetaIndex($"ix_{key.Replace('-', '_')}_0", key));
        }

        using var tx = Connection.BeginTransaction();
        foreach (var o in objects)
        {
            Insert(o);
        }

        tx.Commit();
    }

    public SqliteConnection Connection { get; }

    public void Execute(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public List<string> Ids(SqlStatement st)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = st.Text;
        foreach (var p in st.Parameters)
        {
            p.IsJson.ShouldBeFalse();
            cmd.Parameters.AddWithValue(p.Name, p.Value);
        }

        var ids = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }

        return ids;
    }

    public string Plan(SqlStatement st)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + st.Text;
        foreach (var p in st.Parameters)
        {
            cmd.Parameters.AddWithValue(p.Name, p.Value);
        }

        var lines = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            lines.Add(r.GetString(3));
        }

        return string.Join("\n", lines);
    }

    public void Dispose() => Connection.Dispose();

    private void Insert(TreeObject o)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO obj (id, pid, nm, race, tp, mime, len, c, md, ct, lm, expi, v, lbls, meta)
            VALUES (@id, @pid, @nm, @race, @tp, @mime, @len, @c, @md, @ct, @lm, @expi, @v, @lbls, @meta)
            """;
        cmd.Parameters.AddWithValue("@id", o.Id);
        cmd.Parameters.AddWithValue("@pid", o.ParentId);
        cmd.Parameters.AddWithValue("@nm", o.Name);
        cmd.Parameters.AddWithValue("@race", (int)o.Race);
        cmd.Parameters.AddWithValue("@tp", (object?)o.Type ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@mime", (object?)o.Mime ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@len", o.Length);
        cmd.Parameters.AddWithValue("@c", (object?)o.Creator ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@md", o.Mode);
        cmd.Parameters.AddWithValue("@ct", o.Created);
        cmd.Parameters.AddWithValue("@lm", o.Modified);
        cmd.Parameters.AddWithValue("@expi", (object?)o.Expires ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@v", o.Version);
        cmd.Parameters.AddWithValue("@lbls", LabelsJson(o) ?? (object)DBNull.Value);
        cmd.Parameters.AddWithValue("@meta", o.Meta.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(o.Meta));
        cmd.ExecuteNonQuery();
    }

    // Objects without labels are stored both ways an indexer might: NULL and "[]".
    public static string? LabelsJson(TreeObject o) => o.Labels.Count > 0
        ? JsonSerializer.Serialize(o.Labels)
        : o.Id[^1] % 2 == 0 ? null : "[]";
}
