using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Grove.Messages.Tests;

/// <summary>A small legacy row-per-field table (the seed's version 2) with its field-config table, in SQLite or PostgreSQL.</summary>
public static class LegacyTable
{
    public static readonly string[] Fields = ["waybillNo", "shipper", "consignee", "weight", "pieces", "city", "remark", "phone", "sentAt", "status"];

    public static readonly string[] Displays = ["运单号", "发货人", "收货人", "重量", "件数", "城市", "备注", "电话", "发送时间", "状态"];

    /// <summary>Fields present in the data but not in the config table (kept unmapped).</summary>
    public static readonly string[] Extra = ["extra1", "附加"];

    private static readonly string[] Cities = ["上海", "北京", "广州", "深圳"];

    public static string Value(long id, int f) => f switch
    {
        0 => $"WB{id:D6}",
        1 => "上海仓" + id % 7,
        2 => "李四",
        3 => (id % 50 / 2.0).ToString(CultureInfo.InvariantCulture),
        4 => (id % 9).ToString(CultureInfo.InvariantCulture),
        5 => Cities[id % 4],
        6 => id % 5 == 0 ? "" : "轻放",
        7 => "1380000" + (id % 10000).ToString("D4", CultureInfo.InvariantCulture),
        8 => "2026-11-0" + (1 + (id % 9)) + " 08:30:00",
        _ => (1 + (id % 2)).ToString(CultureInfo.InvariantCulture),
    };

    public static IEnumerable<(long Id, string Partner, string Field, string Display, string? Value, string Time)> Rows(int messages, long firstId = 1)
    {
        for (var id = firstId; id < firstId + messages; id++)
        {
            var partner = id % 3 == 0 ? "compb" : "compa";
            var time = "2026-11-01 08:00:" + (id % 60).ToString("D2", CultureInfo.InvariantCulture);
            for (var f = 0; f < Fields.Length; f++)
            {
                yield return (id, partner, Fields[f], Displays[f], id % 11 == 0 && f == 7 ? null : Value(id, f), time);
            }

            yield return (id, partner, Extra[0], "附加一", "x" + id, time);
            yield return (id, partner, Extra[1], "附加二", "附加值" + id, time);
        }
    }

    public const int RowsPerMessage = 12;

    /// <param name="path">The SQLite file.</param>
    /// <param name="messages">How many messages.</param>
    /// <param name="interleaved">Rows written field by field across messages (a message's rows far apart), not message by message.</param>
    public static async Task<string> SqliteAsync(string path, int messages, bool interleaved = false)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await using (var ddl = c.CreateCommand())
        {
            ddl.CommandText = """
                CREATE TABLE msg_rows (row_id INTEGER PRIMARY KEY, msg_id INTEGER NOT NULL, corp TEXT NOT NULL, fname TEXT NOT NULL, dname TEXT, fval TEXT, created TEXT);
                CREATE INDEX msg_rows_msg ON msg_rows (msg_id);
                CREATE TABLE field_config (corp TEXT, fname TEXT, dname TEXT);
                """;
            await ddl.ExecuteNonQueryAsync();
        }

        await using var ins = c.CreateCommand();
        ins.CommandText = "INSERT INTO msg_rows (msg_id, corp, fname, dname, fval, created) VALUES ($i, $p, $f, $d, $v, $t)";
        foreach (var n in new[] { "$i", "$p", "$f", "$d", "$v", "$t" })
        {
            ins.Parameters.Add(new SqliteParameter(n, null));
        }

        var rows = Rows(messages).Select((r, i) => (Row: r, Order: interleaved ? (i % RowsPerMessage * 1_000_000L) + r.Id : i));
        foreach (var (r, _) in rows.OrderBy(x => x.Order))
        {
            ins.Parameters[0].Value = r.Id;
            ins.Parameters[1].Value = r.Partner;
            ins.Parameters[2].Value = r.Field;
            ins.Parameters[3].Value = r.Display;
            ins.Parameters[4].Value = (object?)r.Value ?? DBNull.Value;
            ins.Parameters[5].Value = r.Time;
            await ins.ExecuteNonQueryAsync();
        }

        await using var cfg = c.CreateCommand();
        cfg.CommandText = "INSERT INTO field_config VALUES ($p, $f, $d)";
        cfg.Parameters.Add(new SqliteParameter("$p", null));
        cfg.Parameters.Add(new SqliteParameter("$f", null));
        cfg.Parameters.Add(new SqliteParameter("$d", null));
        foreach (var p in new[] { "compa", "compb" })
        {
            for (var f = 0; f < Fields.Length; f++)
            {
                cfg.Parameters[0].Value = p;
                cfg.Parameters[1].Value = Fields[f];
                cfg.Parameters[2].Value = Displays[f];
                await cfg.ExecuteNonQueryAsync();
            }
        }

        await tx.CommitAsync();
        return "sqlite:" + path;
    }

    public static async Task PostgresAsync(string connection, int messages)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using (var ddl = c.CreateCommand())
        {
            ddl.CommandText = """
                CREATE TABLE msg_rows (row_id bigserial PRIMARY KEY, msg_id bigint NOT NULL, corp text NOT NULL, fname text NOT NULL, dname text, fval text, created timestamp);
                CREATE INDEX msg_rows_msg ON msg_rows (msg_id);
                CREATE TABLE field_config (corp text, fname text, dname text);
                """;
            await ddl.ExecuteNonQueryAsync();
        }

        await using (var copy = await c.BeginTextImportAsync("COPY msg_rows (msg_id, corp, fname, dname, fval, created) FROM STDIN"))
        {
            foreach (var r in Rows(messages))
            {
                await copy.WriteLineAsync($"{r.Id}\t{r.Partner}\t{r.Field}\t{r.Display}\t{r.Value ?? "\\N"}\t{r.Time}");
            }
        }

        await using var cfg = await c.BeginTextImportAsync("COPY field_config FROM STDIN");
        foreach (var p in new[] { "compa", "compb" })
        {
            for (var f = 0; f < Fields.Length; f++)
            {
                await cfg.WriteLineAsync($"{p}\t{Fields[f]}\t{Displays[f]}");
            }
        }
    }

    public static MigrationOptions Options(string from) => new()
    {
        From = from,
        Table = "msg_rows",
        IdColumn = "msg_id",
        PartnerColumn = "corp",
        FieldColumn = "fname",
        ValueColumn = "fval",
        DisplayColumn = "dname",
        TimeColumn = "created",
        Type = "waybill",
        ConfigTable = "field_config",
        ConfigPartnerColumn = "corp",
        ConfigFieldColumn = "fname",
        ConfigDisplayColumn = "dname",
        Keys = ["waybillNo"],
        RangeSize = 7,
        Workers = 2,
        SampleSize = 20,
    };
}
