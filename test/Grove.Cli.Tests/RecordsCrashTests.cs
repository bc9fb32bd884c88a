using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grove.Records;
using Grove.Tree;
using Microsoft.Data.Sqlite;

namespace Grove.Cli.Tests;

/// <summary>
/// A real <c>grove</c> child process rotating or bulk-loading a record set, killed with SIGKILL in the middle: after a
/// restart every row is in exactly one table, the rotation resumes, and a load keeps whole chunks only.
/// </summary>
public sealed class RecordsCrashTests : IDisposable
{
    private const int Rows = 80_000;
    private const string Mapping = """
        {"tableName":"t_big","fields":[{"name":"id","type":"Long"},{"name":"ct","type":"Long","notNull":true},{"name":"title"}],
         "pks":["id"],"history":{"cutField":"ct","mainRows":1000,"tableRows":1000000,"keep":5}}
        """;

    private readonly TempFolder _temp = new("grove-records-crash-");

    public void Dispose() => _temp.Dispose();

    private string Data => _temp.Combine("data");

    [Fact]
    public async Task Rotate_Kill9MidRotation_RestartResumes_EveryRowOnce()
    {
        await using (var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Data }))
        await using (var records = await RecordService.OpenAsync(tree))
        {
            await records.DefineAsync("big", RecordMapping.Parse(Mapping));
            (await records.BulkInsertAsync("big", Generate(0, Rows))).ShouldBe(Rows);
        }

        // Killed once the first batch (100 rows) is committed and before the last.
        var moved = await KillWhenAsync(["records", "rotate", "big"], "SELECT COALESCE(SUM(moved), 0) FROM grove_record_tables WHERE set_name = 'big'");
        moved.ShouldBeInRange(1, Rows - 1000 - 1, "the kill landed mid-rotation: " + _trace);
        CountTables().ShouldBe(Rows, "after the kill, every row is in exactly one table");
        Duplicates().ShouldBe(0);

        await using (var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Data }))
        await using (var records = await RecordService.OpenAsync(tree))
        {
            var resumed = await records.RotateAsync("big");
            resumed.Moved.ShouldBe(Rows - 1000 - moved);
            var tables = (await records.StatsAsync("big")).Tables;
            tables.Single(t => t.Kind == RecordTableKind.Main).Rows.ShouldBe(1000);
            tables.Sum(t => t.Rows).ShouldBe(Rows);
            (await records.GetAsync("big", [5L]))!["title"].ShouldBe("t5");
        }

        Duplicates().ShouldBe(0);
    }

    [Fact]
    public async Task Import_Kill9MidLoad_WholeChunksOnly_RerunOfTheRestCompletes()
    {
        await using (var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Data }))
        await using (var records = await RecordService.OpenAsync(tree))
        {
            await records.DefineAsync("big", RecordMapping.Parse(Mapping[..Mapping.IndexOf(",\"history\"", StringComparison.Ordinal)] + "}"));
        }

        var file = _temp.File("rows.ndjson", Ndjson(0, 200_000));
        var loaded = await KillWhenAsync(["records", "import", "big", file], "SELECT COUNT(*) FROM t_big");
        loaded.ShouldBeInRange(1, 200_000 - 1, "the kill landed mid-load: " + _trace);
        (loaded % 500).ShouldBe(0, "a chunk is all or nothing");
        using (var c = Open())
        {
            Scalar(c, "SELECT MAX(id) FROM t_big").ShouldBe(loaded - 1, "the committed chunks are the file's first rows");
        }

        await using (var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Data }))
        await using (var records = await RecordService.OpenAsync(tree))
        {
            (await records.BulkInsertAsync("big", Generate(loaded, 200_000 - (int)loaded))).ShouldBe(200_000 - loaded);
            (await records.StatsAsync("big")).Tables.Single().Rows.ShouldBe(200_000);
        }
    }

    /// <summary>
    /// Runs grove with the arguments and kills it (SIGKILL) as soon as it reports on stderr that a first batch or chunk
    /// is committed (the data folder is locked to the child, so its progress lines are the only window into it);
    /// returns the probe's value after the kill. Stderr goes to a file, polled, so nothing between the child and the
    /// test buffers the lines.
    /// </summary>
    private async Task<long> KillWhenAsync(string[] args, string probe)
    {
        var dll = Path.Join(AppContext.BaseDirectory, "grove.dll");
        var errors = _temp.Combine("stderr-" + args[1] + ".txt");
        var psi = new ProcessStartInfo("sh", ["-c", "exec \"$0\" \"$@\" 2>\"$GROVE_TEST_STDERR\"", "dotnet", "exec", dll, "--data", Data, .. args])
        {
            RedirectStandardOutput = true,
        };

        // Note that small batches and chunks (as Grove:Records options from the environment) give the kill a wide window.
        psi.Environment["Grove__Records__RotationBatchRows"] = "100";
        psi.Environment["Grove__Records__BulkChunkRows"] = "500";
        psi.Environment["GROVE_TEST_STDERR"] = errors;
        using var child = Process.Start(psi)!;
        var output = child.StandardOutput.ReadToEndAsync();
        // Note that a thread of its own watches, so a busy thread pool cannot let the child finish first.
        var watcher = new Thread(() =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!child.HasExited && DateTime.UtcNow < deadline && !(File.Exists(errors) && Read(errors).Contains(" rows ", StringComparison.Ordinal)))
            {
                Thread.Sleep(1);
            }

            if (!child.HasExited)
            {
                child.Kill();
            }
        });
        watcher.Start();
        await Task.Run(watcher.Join);
        await child.WaitForExitAsync();
        child.ExitCode.ShouldBe(137, $"grove was killed (SIGKILL: no handler runs, nothing is flushed or disposed), not done: {await output}");
        _trace = $"exit code {child.ExitCode}, stderr: {Read(errors).Split('\n').Length} lines";
        using var after = Open();
        return Scalar(after, probe);
    }

    private static string Read(string file)
    {
        using var f = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var r = new StreamReader(f);
        return r.ReadToEnd();
    }

    private string? _trace;

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Join(Data, "index.db"), Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = 30 }.ToString());
        c.Open();
        return c;
    }

    private static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    private string[] Tables()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT table_name FROM grove_record_tables WHERE set_name = 'big'";
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read())
        {
            names.Add(r.GetString(0));
        }

        return [.. names];
    }

    private long CountTables()
    {
        using var c = Open();
        return Tables().Sum(t => Scalar(c, $"SELECT COUNT(*) FROM \"{t}\""));
    }

    private long Duplicates()
    {
        using var c = Open();
        var union = string.Join(" UNION ALL ", Tables().Select(t => $"SELECT id FROM \"{t}\""));
        return Scalar(c, $"SELECT COUNT(*) FROM (SELECT id FROM ({union}) GROUP BY id HAVING COUNT(*) > 1)");
    }

    private static string Ndjson(long from, int count)
    {
        var sb = new StringBuilder();
        for (var i = from; i < from + count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $$"""{"id":{{i}},"ct":{{i}},"title":"t{{i}}"}""").Append('\n');
        }

        return sb.ToString();
    }

    private static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> Generate(long from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            yield return new Dictionary<string, object?> { ["id"] = i, ["ct"] = i, ["title"] = "t" + i };
        }

        await Task.CompletedTask;
    }
}
