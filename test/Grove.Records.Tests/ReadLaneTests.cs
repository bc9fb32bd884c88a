using System.Data;
using Grove.Records;
using Grove.Records.Internal;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

public sealed class ReadLaneTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Get_HistoryTableDroppedAfterAKeptStatementReadIt_NotFoundAndOthersFound(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync(new RecordsOptions { RotationBatchRows = 40, CacheCapacity = 0 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 150, 2)));
        await records.BulkInsertAsync("news", CrudTests.Rows(0, 300));
        (await records.RotateAsync("news")).Moved.ShouldBe(200);
        var table = (await records.GetAsync("news", [10L]))!.Table;
        table.ShouldNotBe("t_news");
        (await records.FindAsync("news", new RecordQuery { Sort = ["id"], Limit = 5 })).Items.Select(r => (long)r["id"]!).ShouldBe([0L, 1, 2, 3, 4]);

        await records.BulkInsertAsync("news", CrudTests.Rows(300, 300));
        (await records.RotateAsync("news")).TablesDropped.ShouldBeGreaterThan(0);
        (await records.StatsAsync("news")).Tables.Select(t => t.Name).ShouldNotContain(table);

        (await records.GetAsync("news", [10L])).ShouldBeNull();
        (await records.GetAsync("news", [590L]))!.Table.ShouldBe("t_news");
        var first = (await records.StatsAsync("news")).Tables.Sum(t => t.Rows);
        var all = await records.FindAsync("news", new RecordQuery { Sort = ["id"], Limit = 200, Count = true });
        all.Total.ShouldBe(first);
        all.Items.Select(r => (long)r["id"]!).ShouldBe(Enumerable.Range((int)(600 - first), 200).Select(i => (long)i));
    }

    [Fact]
    public async Task ReadLanes_MoreReturnedThanKept_ExtraClosedAndDisposeClosesTheRest()
    {
        await using var h = await Harness.OpenAsync(postgres: false, output);
        var records = await h!.NodeAsync();
        var lanes = new ReadLanes(records.Engines, TimeProvider.System);
        var taken = new List<ReadLane>();
        for (var i = 0; i < 10; i++)
        {
            taken.Add(await lanes.TakeAsync(point: false, CancellationToken.None));
        }

        foreach (var lane in taken)
        {
            lanes.Return(lane, healthy: true);
        }

        var kept = Math.Clamp(Environment.ProcessorCount, 2, 8);
        taken.Count(l => l.Connection.State == ConnectionState.Open).ShouldBe(kept);
        (await lanes.TakeAsync(point: false, CancellationToken.None)).ShouldBe(taken[kept - 1]);
        lanes.Return(taken[kept - 1], healthy: false);
        taken[kept - 1].Connection.State.ShouldBe(ConnectionState.Closed);

        await lanes.DisposeAsync();
        taken.ShouldAllBe(l => l.Connection.State == ConnectionState.Closed);
    }

    [Fact]
    public async Task ReadLanes_UnusedForTheIdleTime_ClosedByTheSweep_RecentOnesKept()
    {
        await using var h = await Harness.OpenAsync(postgres: false, output);
        var records = await h!.NodeAsync();
        var time = new ManualTime();
        await using var lanes = new ReadLanes(records.Engines, time);
        var old = await lanes.TakeAsync(point: false, CancellationToken.None);
        var recent = await lanes.TakeAsync(point: false, CancellationToken.None);
        lanes.Return(old, healthy: true);
        time.Now += (long)(ReadLanes.IdleFor.TotalSeconds * 2) * time.TimestampFrequency;
        lanes.Return(recent, healthy: true);

        lanes.Sweep();

        old.Connection.State.ShouldBe(ConnectionState.Closed);
        recent.Connection.State.ShouldBe(ConnectionState.Open);
        (await lanes.TakeAsync(point: false, CancellationToken.None)).ShouldBeSameAs(recent);
        lanes.Return(recent, healthy: true);
    }

    [Fact]
    public async Task ReadLanes_PointAndRange_KeptApart_PointLanesReadWithoutTheFileMap()
    {
        await using var h = await Harness.OpenAsync(postgres: false, output);
        var records = await h!.NodeAsync();
        await using var lanes = new ReadLanes(records.Engines, TimeProvider.System);
        var point = await lanes.TakeAsync(point: true, CancellationToken.None);
        var range = await lanes.TakeAsync(point: false, CancellationToken.None);
        (await MapAsync(point)).ShouldBe(0L);
        (await MapAsync(range)).ShouldBeGreaterThan(0L);
        lanes.Return(range, healthy: true);
        lanes.Return(point, healthy: true);

        (await lanes.TakeAsync(point: true, CancellationToken.None)).ShouldBeSameAs(point);
        (await lanes.TakeAsync(point: false, CancellationToken.None)).ShouldBeSameAs(range);
        lanes.Return(point, healthy: true);
        lanes.Return(range, healthy: true);

        static async Task<long> MapAsync(ReadLane lane)
        {
            await using var cmd = lane.Statement("PRAGMA mmap_size");
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
    }

    [Fact]
    public async Task ReadLane_SameSqlAfterDispose_SamePreparedCommandAnswersAgain()
    {
        await using var h = await Harness.OpenAsync(postgres: false, output);
        var records = await h!.NodeAsync();
        await using var lanes = new ReadLanes(records.Engines, TimeProvider.System);
        var lane = await lanes.TakeAsync(point: false, CancellationToken.None);
        var first = lane.Statement("SELECT @p0 + 1");
        await using (first)
        {
            first.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("p0", 41L));
            (await first.ExecuteScalarAsync()).ShouldBe(42L);
        }

        var again = lane.Statement("SELECT @p0 + 1");
        again.ShouldBeSameAs(first);
        again.Parameters.Count.ShouldBe(0);
        again.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("p0", 1L));
        (await again.ExecuteScalarAsync()).ShouldBe(2L);
        lanes.Return(lane, lane.TryEnd());
    }

    private sealed class ManualTime : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now;
    }
}
