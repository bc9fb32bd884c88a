namespace Grove.Logs.Tests;

/// <summary>Idle tasks are abandoned, old archives are swept, and tasks list by status and name.</summary>
public sealed class MaintenanceTests
{
    [Fact]
    public async Task SweepIdleAsync_SilentTask_AbandonedAndArchived_HeartbeatKeepsOtherAlive()
    {
        await using var h = await LogHarness.OpenAsync(o => o with { IdleTimeout = TimeSpan.FromMinutes(5) });
        var silent = await h.Logs.CreateAsync("silent");
        var beating = await h.Logs.CreateAsync("beating");
        await h.Logs.AppendAsync(silent.Id, LogHarness.Lines(0, 3));

        h.Clock.Advance(TimeSpan.FromMinutes(4));
        await h.Logs.HeartbeatAsync(beating.Id);
        (await h.Logs.SweepIdleAsync()).ShouldBe(0);
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        (await h.Logs.SweepIdleAsync()).ShouldBe(1);

        (await h.Logs.GetAsync(silent.Id)).Status.ShouldBe(LogTaskStatus.Abandoned);
        (await h.Logs.GetAsync(beating.Id)).Status.ShouldBe(LogTaskStatus.Running);
        (await h.Logs.ArchivePendingAsync()).ShouldBe(1);
        var archived = await h.Logs.GetAsync(silent.Id);
        archived.Storage.ShouldBe(LogStorage.Archived);
        archived.Status.ShouldBe(LogTaskStatus.Abandoned);
        (await h.ReadAllAsync(silent.Id)).ShouldBe(LogHarness.Lines(0, 3));
    }

    [Fact]
    public async Task SweepRetentionAsync_OldArchives_DeletedYoungerKept()
    {
        await using var h = await LogHarness.OpenAsync(o => o with { Retention = TimeSpan.FromDays(30) });
        var old = await h.Logs.CreateAsync("old");
        await h.Logs.AppendAsync(old.Id, LogHarness.Lines(0, 10));
        await h.Logs.FinishAsync(old.Id, LogTaskStatus.Succeeded);
        h.Clock.Advance(TimeSpan.FromDays(20));
        var young = await h.Logs.CreateAsync("young");
        await h.Logs.FinishAsync(young.Id, LogTaskStatus.Succeeded);
        var running = await h.Logs.CreateAsync("running");
        await h.Logs.ArchivePendingAsync();

        h.Clock.Advance(TimeSpan.FromDays(11));
        (await h.Logs.SweepRetentionAsync()).ShouldBe(1);

        (await Should.ThrowAsync<LogException>(() => h.Logs.ReadAsync(old.Id))).Code.ShouldBe(LogErrorCode.NotFound);
        (await h.Logs.GetAsync(young.Id)).Storage.ShouldBe(LogStorage.Archived);
        (await h.Logs.GetAsync(running.Id)).Status.ShouldBe(LogTaskStatus.Running);
        (await h.Logs.SweepRetentionAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task ListAsync_ByStatusAndName_NewestFirstInPages()
    {
        await using var h = await LogHarness.OpenAsync();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            var t = await h.Logs.CreateAsync(i % 2 == 0 ? $"deploy-{i}" : $"build-{i}", i == 3 ? ["nightly"] : null);
            ids.Add(t.Id);
            await h.Logs.AppendAsync(t.Id, LogHarness.Lines(0, i + 1));
            if (i < 3)
            {
                await h.Logs.FinishAsync(t.Id, i == 1 ? LogTaskStatus.Failed : LogTaskStatus.Succeeded);
            }
        }

        await h.Logs.ArchivePendingAsync();

        var running = await h.Logs.ListAsync(new LogTaskQuery { Status = LogTaskStatus.Running });
        running.Items.Select(t => t.Id).ShouldBe(ids.Skip(3).Reverse());
        running.Items[0].Lines.ShouldBe(7);
        var builds = await h.Logs.ListAsync(new LogTaskQuery { Name = "build" });
        builds.Items.Select(t => t.Name).ShouldBe(["build-5", "build-3", "build-1"]);
        builds.Items[2].Status.ShouldBe(LogTaskStatus.Failed);
        builds.Items[2].Lines.ShouldBe(2);
        (await h.Logs.ListAsync(new LogTaskQuery { Labels = ["nightly"] })).Items.Single().Name.ShouldBe("build-3");

        var first = await h.Logs.ListAsync(new LogTaskQuery { Limit = 4 });
        var second = await h.Logs.ListAsync(new LogTaskQuery { Limit = 4, After = first.Next });
        first.Items.Concat(second.Items).Select(t => t.Id).ShouldBe(Enumerable.Reverse(ids));
        second.Next.ShouldBeNull();
    }

    [Fact]
    public async Task ListAsync_TasksMadeInOneMillisecond_StayInTheOrderTheyWereMade()
    {
        // The harness's clock stands still: every task shares its creation time.
        await using var h = await LogHarness.OpenAsync();
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await h.Logs.CreateAsync($"burst-{i}")).Id);
        }

        ids.Order(StringComparer.Ordinal).ShouldBe(ids.AsEnumerable(), customMessage: "ids made in one millisecond only grow");
        var first = await h.Logs.ListAsync(new LogTaskQuery { Limit = 5 });
        var rest = await h.Logs.ListAsync(new LogTaskQuery { Limit = 20, After = first.Next });
        first.Items.Concat(rest.Items).Select(t => t.Name).ShouldBe(Enumerable.Range(0, 12).Reverse().Select(i => $"burst-{i}"));
    }

    [Fact]
    public async Task DeleteAsync_Task_GoneWithItsLines()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 3));

        await h.Logs.DeleteAsync(task.Id);

        (await Should.ThrowAsync<LogException>(() => h.Logs.GetAsync(task.Id))).Code.ShouldBe(LogErrorCode.NotFound);
        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, LogHarness.Lines(3, 1)))).Code.ShouldBe(LogErrorCode.NotFound);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\u0001name")]
    public async Task CreateAsync_BadName_InvalidArgument(string name)
    {
        await using var h = await LogHarness.OpenAsync();

        (await Should.ThrowAsync<LogException>(() => h.Logs.CreateAsync(name))).Code.ShouldBe(LogErrorCode.InvalidArgument);
    }
}
