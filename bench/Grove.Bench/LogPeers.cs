using System.Text;
using Grove.Logs;
using Microsoft.Data.Sqlite;

namespace Grove.Bench;

/// <summary>The ingest peers: the seed's SQL table with one row per line, SQLite rows per chunk, and a plain buffered file.</summary>
internal static class LogPeers
{
    /// <summary>
    /// The seed's design: every line a row (task, line, ts, text), one transaction per batch, WAL, fsync at commit
    /// (or, with <paramref name="fsync"/> false, <c>synchronous=NORMAL</c>: a commit survives kill -9, as Grove's default).
    /// </summary>
    public static double SqliteRowPerLine(string file, List<List<LogLine>> batches, out SqliteConnection connection, bool fsync = true)
    {
        connection = Open(file, (fsync ? "" : "PRAGMA synchronous=NORMAL; ") + "CREATE TABLE line(task TEXT NOT NULL, n INTEGER NOT NULL, ts INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY(task, n)) WITHOUT ROWID;");
        using var insert = Prepare(connection, "INSERT INTO line VALUES('t', @n, @ts, @text)", "@n", "@ts", "@text");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            using var tx = connection.BeginTransaction();
            insert.Transaction = tx;
            foreach (var l in batch)
            {
                insert.Parameters[0].Value = l.Number;
                insert.Parameters[1].Value = l.Timestamp;
                insert.Parameters[2].Value = l.Text;
                insert.ExecuteNonQuery();
            }

            tx.Commit();
        }

        return Lines(batches) / sw.Elapsed.TotalSeconds;
    }

    /// <summary>A page of 1,000 lines from the row-per-line table (keyset on the primary key).</summary>
    public static List<LogLine> SqlitePage(SqliteCommand page, long from)
    {
        page.Parameters[0].Value = from;
        var list = new List<LogLine>(1000);
        using var r = page.ExecuteReader();
        while (r.Read())
        {
            list.Add(new LogLine(r.GetInt64(0), r.GetInt64(1), r.GetString(2)));
        }

        return list;
    }

    public static SqliteCommand PageCommand(SqliteConnection c) =>
        Prepare(c, "SELECT n, ts, text FROM line WHERE task='t' AND n >= @from ORDER BY n LIMIT 1000", "@from");

    /// <summary>Rows per chunk: each batch one row holding the lines as a compact block (the alternative live store).</summary>
    public static double SqliteRowPerChunk(string file, List<List<LogLine>> batches)
    {
        using var c = Open(file, "CREATE TABLE chunk(task TEXT NOT NULL, first INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(task, first)) WITHOUT ROWID;");
        using var insert = Prepare(c, "INSERT INTO chunk VALUES('t', @first, @data)", "@first", "@data");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            var block = LogBatchCodec.Encode(batch, compress: false);
            insert.Parameters[0].Value = batch[0].Number;
            insert.Parameters[1].Value = block;
            insert.ExecuteNonQuery();
        }

        return Lines(batches) / sw.Elapsed.TotalSeconds;
    }

    /// <summary>The limit: "ts text\n" appended to one file through a 1 MiB buffer, one fsync at the end (unless <paramref name="fsync"/> is false).</summary>
    public static double BufferedFile(string file, List<List<LogLine>> batches, bool fsync = true)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using (var fs = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var w = new StreamWriter(fs, new UTF8Encoding(false), 1 << 20))
        {
            foreach (var batch in batches)
            {
                foreach (var l in batch)
                {
                    w.Write(l.Timestamp);
                    w.Write(' ');
                    w.Write(l.Text);
                    w.Write('\n');
                }
            }

            w.Flush();
            fs.Flush(flushToDisk: fsync);
        }

        return Lines(batches) / sw.Elapsed.TotalSeconds;
    }

    private static long Lines(List<List<LogLine>> batches) => batches.Sum(b => (long)b.Count);

    private static SqliteConnection Open(string file, string ddl)
    {
        SQLitePCL.Batteries_V2.Init();
        var c = new SqliteConnection($"Data Source={file};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " + ddl;
        cmd.ExecuteNonQuery();
        return c;
    }

    private static SqliteCommand Prepare(SqliteConnection c, string sql, params string[] names)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names)
        {
            cmd.Parameters.Add(new SqliteParameter(n, null));
        }

        cmd.Prepare();
        return cmd;
    }
}
