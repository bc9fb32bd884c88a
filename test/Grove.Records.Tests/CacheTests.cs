using Grove.Records;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

public sealed class CacheTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Get_CacheHitByLongKey_AllocatesNothing()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        await records.InsertAsync("news", Harness.Row(7, 7));
        var row = await records.GetAsync("news", 7L);
        for (var i = 0; i < 100; i++)
        {
            _ = records.GetAsync("news", 7L); // Note that the first calls JIT and tier the path.
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var hit = records.GetAsync("news", 7L);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        hit.IsCompletedSuccessfully.ShouldBeTrue();
        (await hit).ShouldBeSameAs(row);
        allocated.ShouldBe(0);
        (await records.GetAsync("news", 8L)).ShouldBeNull();
    }

    [Fact]
    public async Task Get_BeyondCapacity_EvictsARowNotReadSinceFilled_KeepsTheOneRead()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync(new RecordsOptions { CacheCapacity = 3 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        for (var i = 1; i <= 5; i++)
        {
            await records.InsertAsync("news", Harness.Row(i, i));
        }

        foreach (var k in new long[] { 1, 2, 3, 1, 4 })
        {
            await records.GetAsync("news", k);
        }

        records.CacheCounters.Count.ShouldBe(3);
        var loads = records.CacheCounters.Loads;
        await records.GetAsync("news", 1L);
        await records.GetAsync("news", 4L);
        records.CacheCounters.Loads.ShouldBe(loads, "1 was read since it was filled and 4 is the newest");
        await records.GetAsync("news", 2L);
        records.CacheCounters.Loads.ShouldBe(loads + 1, "2 was filled and never read again: the first to go");
        records.CacheCounters.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Get_HundredConcurrentMisses_OneLoad_ThenHitsShareTheRow()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        await records.InsertAsync("news", Harness.Row(1, 1));
        var before = records.CacheCounters.Loads;
        using var start = new ManualResetEventSlim();
        var gets = Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await records.GetAsync("news", [1L]);
        })).ToList();
        start.Set();
        var rows = await Task.WhenAll(gets);
        (records.CacheCounters.Loads - before).ShouldBe(1);
        rows.Distinct().Count().ShouldBe(1, "every reader gets the same immutable row");
        (await records.GetAsync("news", [1L])).ShouldBeSameAs(rows[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Get_AfterAcknowledgedWrite_SameNode_NeverStale(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        await records.InsertAsync("news", Harness.Row(1, 1, "v1"));
        for (var v = 1; v <= 20; v++)
        {
            (await records.GetAsync("news", [1L]))!["title"].ShouldBe($"v{v}");
            await records.UpdateAsync("news", new Dictionary<string, object?> { ["id"] = 1L, ["ver"] = v, ["title"] = $"v{v + 1}" });
        }

        await records.DeleteAsync("news", [1L]);
        (await records.GetAsync("news", [1L])).ShouldBeNull();
        await records.UpsertAsync("news", Harness.Row(1, 1, "back"));
        (await records.GetAsync("news", [1L]))!["title"].ShouldBe("back");
        await records.BulkInsertAsync("news", CrudTests.Rows(10, 5));
        (await records.StatsAsync("news")).CacheHitRate.ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task TwoNodes_OnePostgres_SeeEachOthersChanges()
    {
        await using var h = await Harness.OpenAsync(true, output);
        if (h is null)
        {
            return;
        }

        var a = await h.NodeAsync();
        var b = await h.NodeAsync();
        await a.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        await a.InsertAsync("news", Harness.Row(1, 1, "from-a"));
        (await b.GetAsync("news", [1L]))!["title"].ShouldBe("from-a");
        (await a.GetAsync("news", [1L]))!["title"].ShouldBe("from-a");

        await b.UpdateAsync("news", new Dictionary<string, object?> { ["id"] = 1L, ["ver"] = 1, ["title"] = "from-b" });
        await Eventually(async () => (await a.GetAsync("news", [1L]))?["title"] as string == "from-b");
        await a.DeleteAsync("news", [1L]);
        await Eventually(async () => await b.GetAsync("news", [1L]) is null);

        // A mapping change on one node is seen by the other.
        var m = RecordMapping.Parse(Harness.NewsMapping);
        await b.DefineAsync("news", m with { Fields = [.. m.Fields, new RecordField { Name = "extra", ColumnName = "extra" }] });
        await Eventually(async () => (await a.GetSetAsync("news")).Revision == 2);
        (await a.InsertAsync("news", new Dictionary<string, object?> { ["id"] = 2L, ["ct"] = 2L, ["extra"] = "x" }))["extra"].ShouldBe("x");
    }

    [Fact]
    public async Task Insert_NewKeyMissedOnAnotherNode_NoNoticeAndReadThereAtOnce()
    {
        // Note that inserts and bulk loads announce nothing (a PostgreSQL NOTIFY holds a database-wide lock through each
        // commit's flush): caches keep rows that exist, never a miss, so no node can hold a copy of a new key.
        await using var h = await Harness.OpenAsync(true, output);
        if (h is null)
        {
            return;
        }

        var a = await h.NodeAsync();
        var b = await h.NodeAsync();
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listening = h.Trees[1].Bus.Subscribe("records.rows", m => { if (!m.Resync) heard.Enqueue(m.Payload); });
        await a.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        (await b.GetAsync("news", [1L])).ShouldBeNull();
        (await b.GetAsync("news", [10L])).ShouldBeNull();

        await a.InsertAsync("news", Harness.Row(1, 1, "from-a"));
        (await b.GetAsync("news", [1L]))!["title"].ShouldBe("from-a");
        await a.BulkInsertAsync("news", CrudTests.Rows(10, 5));
        (await b.GetAsync("news", [10L])).ShouldNotBeNull();

        // Notices arrive in commit order: once the update's is heard, an insert's would have been too.
        await a.UpdateAsync("news", new Dictionary<string, object?> { ["id"] = 1L, ["ver"] = 1, ["title"] = "changed" });
        await Eventually(() => Task.FromResult(!heard.IsEmpty));
        heard.Count.ShouldBe(1, string.Join(" | ", heard));
        await Eventually(async () => (await b.GetAsync("news", [1L]))?["title"] as string == "changed");
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the other node did not see the change");
            await Task.Delay(10);
        }
    }
}
