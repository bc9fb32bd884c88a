using System.Text.Json;
using Grove.Tree.Internal.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Tests.Query;

/// <summary>The <c>obj</c> table in a throwaway schema of the PostgreSQL database named by <c>GROVE_TEST_PG</c>.</summary>
internal sealed class PgTestDb : IDisposable
{
    private const string Schema = """
        CREATE TABLE obj (
          id text COLLATE "C" PRIMARY KEY, pid text COLLATE "C" NOT NULL, nm text COLLATE "C" NOT NULL,
          race integer NOT NULL, tp text COLLATE "C", mime text COLLATE "C", len bigint, sha256 text COLLATE "C",
          mnt text COLLATE "C", ln text COLLATE "C", lbls jsonb, c text COLLATE "C", m text COLLATE "C",
          g text COLLATE "C", md integer, ct bigint, lm bigint, expi bigint, v bigint, bk text COLLATE "C",
          meta jsonb, inl bytea, wtok integer, wexp integer);
        """;

    private readonly string _schema = "grove_q_" + Guid.NewGuid().ToString("N")[..12];

    public PgTestDb(IEnumerable<TreeObject> objects, params string[] indexedKeys)
    {
        Connection = new NpgsqlConnection(ConnectionString);
        Connection.Open();
        Execute($"CREATE SCHEMA {_schema}; SET search_path TO {_schema}; {Schema}");
        foreach (var key in indexedKeys)
        {
            var exprs = SqlQueryBuilder.MetaIndexExprs(SqlDialect.Postgres, key);
            for (var i = 0; i < exprs.Count; i++)
            {
                Execute($"CREATE INDEX ix_{key.Replace('-', '_')}_{i} ON obj ({exprs[i]})");
            }
        }

        foreach (var o in objects)
        {
            Insert(o);
        }

        Execute("ANALYZE obj");
    }

    /// <summary>One fresh database per test process, from <c>GROVE_TEST_PG</c> or the private cluster; each test adds its own schema.</summary>
    public static string ConnectionString => Database.Value;

    private static readonly Lazy<string> Database = new(() => PostgresServer.Instance.CreateDatabaseAsync().GetAwaiter().GetResult());

    public NpgsqlConnection Connection { get; }

    /// <summary>Binds jsonb parameters as jsonb (true) or as plain text cast by the SQL (false).</summary>
    public bool TypedJson { get; set; } = true;

    public void Execute(string sql)
    {
        using var cmd = new NpgsqlCommand(sql, Connection);
        cmd.ExecuteNonQuery();
    }

    public List<string> Ids(SqlStatement st) => Rows(st, "");

    public string Plan(SqlStatement st) => string.Join("\n", Rows(st, "EXPLAIN "));

    public void Dispose()
    {
        Execute($"DROP SCHEMA {_schema} CASCADE");
        Connection.Dispose();
    }

    private List<string> Rows(SqlStatement st, string prefix)
    {
        using var cmd = new NpgsqlCommand(prefix + st.Text, Connection);
        foreach (var p in st.Parameters)
        {
            cmd.Parameters.Add(p.IsJson && TypedJson
                ? new NpgsqlParameter(p.Name, NpgsqlDbType.Jsonb) { Value = p.Value }
                : new NpgsqlParameter(p.Name, p.Value));
        }

        var rows = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            rows.Add(r.GetString(0));
        }

        return rows;
    }

    private void Insert(TreeObject o)
    {
        using var cmd = new NpgsqlCommand("""
            INSERT INTO obj (id, pid, nm, race, tp, mime, len, c, md, ct, lm, expi, v, lbls, meta)
            VALUES (@id, @pid, @nm, @race, @tp, @mime, @len, @c, @md, @ct, @lm, @expi, @v, @lbls, @meta)
            """, Connection);
        cmd.Parameters.AddWithValue("id", o.Id);
        cmd.Parameters.AddWithValue("pid", o.ParentId);
        cmd.Parameters.AddWithValue("nm", o.Name);
        cmd.Parameters.AddWithValue("race", (int)o.Race);
        cmd.Parameters.AddWithValue("tp", NpgsqlDbType.Text, (object?)o.Type ?? DBNull.Value);
        cmd.Parameters.AddWithValue("mime", NpgsqlDbType.Text, (object?)o.Mime ?? DBNull.Value);
        cmd.Parameters.AddWithValue("len", o.Length);
        cmd.Parameters.AddWithValue("c", NpgsqlDbType.Text, (object?)o.Creator ?? DBNull.Value);
        cmd.Parameters.AddWithValue("md", o.Mode);
        cmd.Parameters.AddWithValue("ct", o.Created);
        cmd.Parameters.AddWithValue("lm", o.Modified);
        cmd.Parameters.AddWithValue("expi", NpgsqlDbType.Bigint, (object?)o.Expires ?? DBNull.Value);
        cmd.Parameters.AddWithValue("v", o.Version);
        cmd.Parameters.AddWithValue("lbls", NpgsqlDbType.Jsonb, (object?)SqliteTestDb.LabelsJson(o) ?? DBNull.Value);
        cmd.Parameters.AddWithValue("meta", NpgsqlDbType.Jsonb, o.Meta.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(o.Meta));
        cmd.ExecuteNonQuery();
    }
}
