using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Grove.Cli.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Grove.Cli.Tests;

/// <summary><c>grove messages migrate</c> and the other verbs on a data folder; a real kill -9 halfway and <c>--resume</c>.</summary>
public sealed class MessagesMigrateTests : IDisposable
{
    private const int Messages = 120;
    private const int FieldsPerMessage = 15;
    private readonly GroveRunner _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public async Task Migrate_LocalDataFolder_VerifiesAndLocalVerbsShowTheMessages()
    {
        (await _g.RunAsync("init")).ShouldSucceed();
        var legacy = await LegacyAsync();
        var report = _g.Temp.Combine("report.json");

        var run = (await _g.RunAsync([.. MigrateArgs(legacy), "--report", report])).ShouldSucceed();

        run.Out.ShouldContain("verified");
        run.Out.ShouldContain($"messages: source {Messages} · stored {Messages}");
        run.Error.ShouldContain("rows/s");
        run.Error.ShouldContain("ETA");
        using (var doc = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            doc.RootElement.GetProperty("ok").GetBoolean().ShouldBeTrue();
            doc.RootElement.GetProperty("sourceRows").GetInt64().ShouldBe(Messages * FieldsPerMessage);
            doc.RootElement.GetProperty("unmapped").GetInt64().ShouldBe(Messages);
        }

        var show = (await _g.RunAsync("messages", "show", "corpb", "42")).ShouldSucceed();
        show.Out.ShouldContain("字段3: 值42-3");
        show.Out.ShouldContain("unmapped: 未配置42");
        var ls = (await _g.RunAsync("messages", "ls", "--partner", "corpb", "--limit", "1000", "--json")).ShouldSucceed();
        using (var doc = JsonDocument.Parse(ls.Out))
        {
            doc.RootElement.GetProperty("items").GetArrayLength().ShouldBe(Messages);
        }

        (await _g.RunAsync("messages", "print", "corpb", "42", _g.Temp.Combine("m.pdf"))).ShouldSucceed();
        (await File.ReadAllBytesAsync(_g.Temp.Combine("m.pdf")))[..4].ShouldBe("%PDF"u8.ToArray());
        (await _g.RunAsync([.. MigrateArgs(legacy)])).ShouldFail(2, "invalid_argument").Error.ShouldContain("--resume");
        (await _g.RunAsync([.. MigrateArgs(legacy).Select(a => a == "fval" ? "val" : a)])).ShouldFail(2, "invalid_argument").Error.ShouldContain("no column 'val' (--value-column)");
    }

    [Fact]
    public async Task Migrate_KilledHalfwayThroughARange_ResumeEndsWithExactCounts()
    {
        (await _g.RunAsync("init")).ShouldSucceed();
        var legacy = await LegacyAsync();
        var dll = Path.Join(AppContext.BaseDirectory, "grove.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _g.Temp.Path };
        foreach (var a in (string[])[dll, "--data", _g.DataPath, .. MigrateArgs(legacy), "--crash-drill", "4"])
        {
            start.ArgumentList.Add(a);
        }

        using var child = Process.Start(start)!;
        var hung = new TaskCompletionSource();
        var errors = new StringBuilder();
        child.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }

            if (e.Data?.Contains("crash drill", StringComparison.Ordinal) == true)
            {
                hung.TrySetResult();
            }
        };
        child.BeginErrorReadLine();
        child.BeginOutputReadLine();
        await hung.Task.WaitAsync(TimeSpan.FromSeconds(60));
        child.Kill();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        (await CommittedAsync()).ShouldBe(3 * 10);

        var resumed = (await _g.RunAsync([.. MigrateArgs(legacy), "--resume", "--json"])).ShouldSucceed();
        using var doc = JsonDocument.Parse(resumed.Out);
        var r = doc.RootElement;
        r.GetProperty("ok").GetBoolean().ShouldBeTrue(resumed.Out);
        (r.GetProperty("rangesResumed").GetInt32(), r.GetProperty("targetMessages").GetInt64(), r.GetProperty("sourceMessages").GetInt64()).ShouldBe((3, Messages, Messages));
        r.GetProperty("targetFields").GetInt64().ShouldBe(Messages * FieldsPerMessage);
        (await CommittedAsync()).ShouldBe(Messages);
    }

    private async Task<long> CommittedAsync()
    {
        await using var c = new SqliteConnection($"Data Source={Path.Join(_g.DataPath, "index.db")};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM grove_msg_messages";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static string[] MigrateArgs(string legacy) =>
    [
        "messages", "migrate", "--from", "sqlite:" + legacy, "--table", "rows", "--id-column", "mid", "--partner-column", "corp",
        "--field-column", "fname", "--value-column", "fval", "--config-table", "cfg", "--config-partner-column", "corp",
        "--config-field-column", "fname", "--config-display-column", "dname", "--type", "bill", "--workers", "2", "--range-size", "10", "--key", "f0",
    ];

    /// <summary>A legacy table made in SQL: <see cref="Messages"/> messages of corpb, 14 configured fields and one that is not.</summary>
    private async Task<string> LegacyAsync()
    {
        var path = _g.Temp.Combine("legacy.db");
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            CREATE TABLE rows (mid INTEGER NOT NULL, corp TEXT NOT NULL, fname TEXT NOT NULL, fval TEXT);
            CREATE INDEX rows_mid ON rows (mid);
            CREATE TABLE cfg (corp TEXT, fname TEXT, dname TEXT);
            WITH RECURSIVE m(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM m WHERE i < {Messages}),
                           f(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM f WHERE j < {FieldsPerMessage - 2})
            INSERT INTO rows SELECT i, 'corpb', 'f' || j, '值' || i || '-' || j FROM m, f
                UNION ALL SELECT i, 'corpb', 'unmapped', '未配置' || i FROM m ORDER BY 1;
            WITH RECURSIVE f(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM f WHERE j < {FieldsPerMessage - 2})
            INSERT INTO cfg SELECT 'corpb', 'f' || j, '字段' || j FROM f;
            """;
        await cmd.ExecuteNonQueryAsync();
        return path;
    }
}
