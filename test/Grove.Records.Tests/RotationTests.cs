using Grove.Records;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

public sealed class RotationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rotate_BeyondMainRows_MovesOldestInBatches_NextTableWhenFull_DropsPastKeep(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync(new RecordsOptions { RotationBatchRows = 40 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 150, 2)));
        await records.BulkInsertAsync("news", CrudTests.Rows(0, 500));
        (await records.GetAsync("news", [10L]))!.Table.ShouldBe("t_news");

        var result = await records.RotateAsync("news");
        result.Moved.ShouldBe(400);
        result.TablesCreated.ShouldBe(3);
        result.TablesDropped.ShouldBe(1);
        result.Complete.ShouldBeTrue();

        var stats = await records.StatsAsync("news");
        stats.Tables.Select(t => (t.Name, t.Rows)).ShouldBe([("t_news", 100L), ("t_news__h000003", 100L), ("t_news__h000002", 150L)]);
        stats.Rotation.ShouldBe(result);
        (await records.GetAsync("news", [200L]))!.Table.ShouldBe("t_news__h000002");
        (await records.GetAsync("news", [450L]))!.Table.ShouldBe("t_news");
        (await records.GetAsync("news", [10L])).ShouldBeNull("the cache was dropped with the history table it came from");

        // History keys are not generated: an insert of a key that lives in history is a duplicate; an upsert updates it there.
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("news", Harness.Row(200, 9999)))).Code.ShouldBe(RecordsErrorCode.DuplicateKey);
        (await records.UpsertAsync("news", Harness.Row(200, 200, "again"))).Table.ShouldBe("t_news__h000002");
        (await records.RotateAsync("news")).Moved.ShouldBe(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rotate_CrashBetweenBatches_ResumesWithoutLossOrDuplicate(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var first = await h.NodeAsync(new RecordsOptions { RotationBatchRows = 30, RotationLease = TimeSpan.FromSeconds(1) });
        await first.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 120, 10)));
        await first.BulkInsertAsync("news", CrudTests.Rows(0, 500));
        first.RotationBatchHook = moved =>
        {
            if (moved >= 90)
            {
                throw new InvalidOperationException("killed");
            }
        };
        (await Should.ThrowAsync<InvalidOperationException>(() => first.RotateAsync("news"))).Message.ShouldBe("killed");
        (await first.StatsAsync("news")).Tables.Sum(t => t.Rows).ShouldBe(500);

        // Another node resumes (its lease wait covers the crashed holder's lease on PostgreSQL).
        var second = postgres ? await h.NodeAsync(new RecordsOptions { RotationBatchRows = 30 }) : first;
        first.RotationBatchHook = null;
        var result = await second.RotateAsync("news");
        result.Moved.ShouldBe(310);
        var stats = await second.StatsAsync("news");
        stats.Tables.Sum(t => t.Rows).ShouldBe(500);
        stats.Tables.Single(t => t.Kind == RecordTableKind.Main).Rows.ShouldBe(100);
        stats.Tables.Where(t => t.Kind == RecordTableKind.History).Select(t => t.Rows).ShouldBe([40L, 120L, 120L, 120L]);

        var ids = new List<long>();
        string? after = null;
        do
        {
            var page = await second.FindAsync("news", new RecordQuery { Sort = ["id"], Limit = 1000, After = after });
            ids.AddRange(page.Items.Select(r => (long)r["id"]!));
            after = page.Next;
        }
        while (after is not null);
        ids.ShouldBe(Enumerable.Range(0, 500).Select(i => (long)i));
        (await second.GetSetAsync("news")).Tables.Where(t => t.Kind == RecordTableKind.History).Sum(t => t.Moved).ShouldBe(400);
    }

    [Fact]
    public async Task Rotate_InsertArrivingDuringABatch_CommitsBeforeTheNextBatch()
    {
        await using var h = await Harness.OpenAsync(postgres: false, output);
        var records = await h!.NodeAsync(new RecordsOptions { RotationBatchRows = 100 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 10_000, 10)));
        await records.BulkInsertAsync("news", CrudTests.Rows(0, 1_000));
        Task? insert = null;
        var batches = 0;
        bool? seenBeforeSecondBatch = null;
        records.RotationBatchHook = _ =>
        {
            // Note that the hook runs inside the batch's write turn: the insert queues behind it.
            if (++batches == 1)
            {
                insert = Task.Run(() => records.InsertAsync("news", Harness.Row(5_000, 5_000)));
                SpinWait.SpinUntil(() => records.Db.WritersWaiting > 0, TimeSpan.FromSeconds(10)).ShouldBeTrue("the insert waits for its turn");
            }
            else if (batches == 2)
            {
                seenBeforeSecondBatch = records.GetAsync("news", [5_000L]).GetAwaiter().GetResult() is not null;
            }
        };

        (await records.RotateAsync("news")).Moved.ShouldBe(900);
        await insert!;
        batches.ShouldBeGreaterThan(2);
        seenBeforeSecondBatch.ShouldBe(true, "a writer that queued during a batch writes before the next batch");
    }

    [Fact]
    public async Task Rotate_WriterWaitingDuringABatch_NextBatchSizedByTimeElseBatchesGrowToTheCap()
    {
        await using var h = await Harness.OpenAsync(postgres: false, output);
        var records = await h!.NodeAsync(new RecordsOptions { RotationBatchRows = 4_000, RotationBatchTime = TimeSpan.FromTicks(1) });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 100_000, 10)));
        await records.BulkInsertAsync("news", CrudTests.Rows(0, 20_100));
        var sizes = new List<long>();
        long last = 0;
        Task? insert = null;
        records.RotationBatchHook = moved =>
        {
            sizes.Add(moved - last);
            last = moved;
            if (sizes.Count == 4)
            {
                insert = Task.Run(() => records.InsertAsync("news", Harness.Row(50_000, 50_000)));
                SpinWait.SpinUntil(() => records.Db.WritersWaiting > 0, TimeSpan.FromSeconds(10)).ShouldBeTrue("the insert waits for its turn");
            }
        };

        (await records.RotateAsync("news")).Moved.ShouldBe(20_000);
        await insert!;
        sizes.Take(5).ShouldBe([1_000L, 2_000L, 4_000L, 4_000L, 100L], "batches grow to the cap while no one waits; a batch that kept a writer waiting makes the next one short");
        sizes.Skip(5).Take(3).ShouldBe([200L, 400L, 800L], "then they grow again");
    }

    [Fact]
    public async Task Schedule_Interval_RotatesWithoutBeingAsked()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync(new RecordsOptions { RotationInterval = TimeSpan.FromMilliseconds(50) });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(10, 1000, 2)));
        await records.BulkInsertAsync("news", CrudTests.Rows(0, 50));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await records.StatsAsync("news")).Tables[0].Rows > 10)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the scheduled rotation did not run");
            await Task.Delay(20);
        }

        (await records.StatsAsync("news")).Tables.Sum(t => t.Rows).ShouldBe(50);
    }

    [Fact]
    public async Task Rotate_SetWithoutHistory_InvalidArgument()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        (await Should.ThrowAsync<RecordsException>(() => records.RotateAsync("news"))).Code.ShouldBe(RecordsErrorCode.InvalidArgument);
    }
}
