using Grove.Records;
using Npgsql;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

public sealed class ResyncTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BusResync_ListenerConnectionKilled_CacheDropped()
    {
        await using var h = await Harness.OpenAsync(true, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        await records.InsertAsync("news", Harness.Row(1, 1, "cached"));
        (await records.GetAsync("news", [1L]))!["title"].ShouldBe("cached");

        // A change the bus never announces (made behind the engine's back) stays invisible while the cache is trusted…
        await using var admin = new NpgsqlConnection(h.Store);
        await admin.OpenAsync();
        await using (var sneak = new NpgsqlCommand("UPDATE t_news SET title_text = 'changed' WHERE id = 1", admin))
        {
            await sneak.ExecuteNonQueryAsync();
        }

        (await records.GetAsync("news", [1L]))!["title"].ShouldBe("cached");

        // …until the listening connection drops: the resync empties the cache and the next read loads the row.
        await using (var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'", admin))
        {
            await kill.ExecuteNonQueryAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await records.GetAsync("news", [1L]))!["title"] as string != "changed")
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the bus resync did not empty the cache");
            await Task.Delay(20);
        }
    }
}
