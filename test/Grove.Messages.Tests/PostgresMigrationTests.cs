using Xunit.Abstractions;

namespace Grove.Messages.Tests;

/// <summary>Migration from a PostgreSQL legacy table into a PostgreSQL store (binary COPY, several writers).</summary>
public sealed class PostgresMigrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Migrate_PostgresToPostgres_CopiesRangesAndResumesExactly()
    {
        var store = await PostgresServer.DatabaseOrSkipAsync(output);
        var legacy = store is null ? null : await PostgresServer.DatabaseOrSkipAsync(output);
        if (store is null || legacy is null)
        {
            return;
        }

        await LegacyTable.PostgresAsync(legacy, 40);
        await using var h = await MessageHarness.OpenAsync(store);
        using var cts = new CancellationTokenSource();
        var options = LegacyTable.Options(legacy) with { HangAtWrite = 2, Workers = 1, Drill = _ => cts.Cancel() };
        await Should.ThrowAsync<OperationCanceledException>(() => h.Messages.MigrateAsync(options, null, cts.Token));
        (await h.Messages.StatsAsync()).Count.ShouldBe(7);

        var report = await h.Messages.MigrateAsync(LegacyTable.Options(legacy) with { Resume = true, Workers = 3 });

        report.Ok.ShouldBeTrue(report.ToText());
        (report.SourceMessages, report.TargetMessages, report.RangesResumed).ShouldBe((40, 40, 1));
        report.TargetFields.ShouldBe(report.SourceFields);
        var view = await h.Messages.FindAsync("compb", "30");
        view.Fields.Single(f => f.Display == "城市").Value.ShouldBe("广州");
        view.Message.ReceivedAt.ShouldBe(new DateTimeOffset(2026, 11, 1, 8, 0, 30, TimeSpan.FromHours(8)));
    }
}
