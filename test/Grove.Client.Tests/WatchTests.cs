namespace Grove.Client.Tests;

/// <summary>The change feed over HTTP: pages, the SSE stream through <c>WatchAsync</c>, resuming, and access.</summary>
public sealed class WatchTests : ClientTestBase
{
    [Fact]
    public async Task WatchAsync_WritesAfterSubscribing_ArriveInCommitOrder()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var start = (await Admin.ChangesAsync("/", 0, ct: cts.Token)).Revision;
        var seen = new List<GroveChange>();
        var watching = Task.Run(async () =>
        {
            await foreach (var c in Admin.WatchAsync("/inbox", start, cts.Token))
            {
                seen.Add(c);
                if (seen.Count == 4)
                {
                    return;
                }
            }
        }, cts.Token);

        await Admin.UploadAsync("/inbox/a.txt", new MemoryStream("1"u8.ToArray()));
        await Admin.UploadAsync("/inbox/a.txt", new MemoryStream("2"u8.ToArray()));
        await Admin.MoveAsync("/inbox/a.txt", "/inbox/b.txt");
        await watching;

        seen.Select(c => (c.Kind, c.Path)).ShouldBe([("create", "/inbox"), ("create", "/inbox/a.txt"), ("write", "/inbox/a.txt"), ("move", "/inbox/b.txt")]);
        seen[3].OldPath.ShouldBe("/inbox/a.txt");
        seen.Select(c => c.Revision).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task ChangesAsync_ResumeAfterRevision_OnlyLaterChanges()
    {
        await Admin.UploadAsync("/r/1", new MemoryStream([1]));
        var mark = (await Admin.ChangesAsync("/r")).Revision;
        await Admin.DeleteAsync("/r/1");

        var page = await Admin.ChangesAsync("/r", mark);

        page.Changes.Select(c => (c.Kind, c.Path)).ShouldBe([("delete", "/r/1")]);
        page.Resync.ShouldBeFalse();
    }

    [Fact]
    public async Task ChangesAsync_RevisionNeverIssued_Resync()
    {
        var page = await Admin.ChangesAsync("/", long.MaxValue / 2);

        page.Resync.ShouldBeTrue();
        page.Changes.ShouldBeEmpty();
    }

    [Fact]
    public async Task ChangesAsync_UserWithoutRights_SeesOnlyWhatTheyMayRead()
    {
        await Admin.MkdirAsync("/shared", parents: true);
        await Admin.SetMetaAsync("/shared", new Dictionary<string, object?> { ["md"] = 0b111_111_111 });
        var bob = await UserAsync("bob");
        var start = (await bob.ChangesAsync("/shared")).Revision;
        await Admin.UploadAsync("/shared/open.txt", new MemoryStream("o"u8.ToArray()));
        await Admin.UploadAsync("/shared/closed.txt", new MemoryStream("c"u8.ToArray()));
        await Admin.SetMetaAsync("/shared/closed.txt", new Dictionary<string, object?> { ["md"] = 0b110_000_000 });
        await Admin.UploadAsync("/private/secret.txt", new MemoryStream("s"u8.ToArray()));
        await Admin.SetMetaAsync("/private", new Dictionary<string, object?> { ["md"] = 0b111_000_000 });

        var page = await bob.ChangesAsync("/", start);

        page.Changes.Select(c => c.Path).ShouldContain("/shared/open.txt");
        page.Changes.Select(c => c.Path).ShouldNotContain("/shared/closed.txt");
        page.Changes.Select(c => c.Path).ShouldNotContain("/private/secret.txt");
        await ShouldBeRefusedAsync(() => bob.ChangesAsync("/private"), 403, GroveErrorCode.Forbidden);
    }
}
