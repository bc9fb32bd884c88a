using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Grove.Bench;

/// <summary>
/// A realistic legacy table of the seed's version 2 (列转行): one row per field, a partner with 220 fields and 6–8 KB
/// per message (Chinese values, codes, amounts, dates), rows in message order, an index on the message id, and the
/// legacy field-config table the old system translated with.
/// </summary>
internal static class LegacyGenerator
{
    public const int Fields = 220;

    private static readonly string[] Words = ["上海", "北京", "广州", "深圳", "仓库", "货物", "运输", "有限公司", "物流", "电子", "配件", "华东", "分拨中心", "收货人", "发货人"];

    public static string Display(int f) => "字段名称" + f.ToString(CultureInfo.InvariantCulture);

    public static string Field(int f) => "f" + f.ToString("D3", CultureInfo.InvariantCulture);

    public static string Value(long i, int f, Random r) => (f % 5) switch
    {
        0 => "WB" + (i * 1000 + f).ToString("D10", CultureInfo.InvariantCulture),
        1 => (r.Next(1, 100000) / 100.0).ToString(CultureInfo.InvariantCulture),
        2 => "2026-" + r.Next(1, 13).ToString("D2", CultureInfo.InvariantCulture) + "-1" + r.Next(0, 10).ToString(CultureInfo.InvariantCulture) + " 08:30:00",
        _ => string.Concat(Enumerable.Range(0, r.Next(1, 4)).Select(_ => Words[r.Next(Words.Length)])),
    };

    /// <summary>Writes <paramref name="messages"/> messages into a new SQLite file; returns the rows written.</summary>
    public static async Task<long> SqliteAsync(string path, int messages)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using (var ddl = c.CreateCommand())
        {
            ddl.CommandText = """
                PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;
                CREATE TABLE legacy_rows (row_id INTEGER PRIMARY KEY, msg_id INTEGER NOT NULL, corp TEXT NOT NULL, field TEXT NOT NULL, display TEXT NOT NULL, value TEXT, created TEXT NOT NULL);
                CREATE TABLE legacy_fields (corp TEXT NOT NULL, field TEXT NOT NULL, display TEXT NOT NULL);
                """;
            await ddl.ExecuteNonQueryAsync();
        }

        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
        await using var ins = c.CreateCommand();
        ins.Transaction = tx;
        ins.CommandText = "INSERT INTO legacy_rows (msg_id, corp, field, display, value, created) VALUES ($m, 'compb', $f, $d, $v, $t)";
        var pm = ins.Parameters.Add("$m", SqliteType.Integer);
        var pf = ins.Parameters.Add("$f", SqliteType.Text);
        var pd = ins.Parameters.Add("$d", SqliteType.Text);
        var pv = ins.Parameters.Add("$v", SqliteType.Text);
        var pt = ins.Parameters.Add("$t", SqliteType.Text);
        long rows = 0;
        for (var i = 1; i <= messages; i++)
        {
            var r = new Random(i);
            pm.Value = i;
            pt.Value = "2026-11-" + (1 + (i % 28)).ToString("D2", CultureInfo.InvariantCulture) + " 09:00:00";
            for (var f = 0; f < Fields; f++)
            {
                pf.Value = Field(f);
                pd.Value = Display(f);
                pv.Value = Value(i, f, r);
                await ins.ExecuteNonQueryAsync();
                rows++;
            }
        }

        ins.CommandText = "INSERT INTO legacy_fields VALUES ('compb', $f, $d)";
        ins.Parameters.Clear();
        pf = ins.Parameters.Add("$f", SqliteType.Text);
        pd = ins.Parameters.Add("$d", SqliteType.Text);
        for (var f = 0; f < Fields - 10; f++)
        {
            // Note that the last ten fields are not in the legacy config: the migration keeps them unmapped.
            pf.Value = Field(f);
            pd.Value = Display(f);
            await ins.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        await using (var index = c.CreateCommand())
        {
            index.CommandText = "CREATE INDEX legacy_rows_msg ON legacy_rows (msg_id); PRAGMA wal_checkpoint(TRUNCATE);";
            await index.ExecuteNonQueryAsync();
        }

        return rows;
    }
}
