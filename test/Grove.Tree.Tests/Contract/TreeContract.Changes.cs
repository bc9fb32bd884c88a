using Grove.Testing;

namespace Grove.Tree.Tests.Contract;

public abstract partial class TreeContract
{
    [Fact]
    public async Task Changes_EveryKindUnderAPath_InCommitOrderWithRevisions()
    {
        if (StoreUnavailable) return;
        var start = Tree.ChangeRevision;

        await Tree.MkdirAsync("/w");
        await Tree.WriteAsync("/w/a.txt", "one"u8.ToArray());
        await Tree.WriteAsync("/w/a.txt", "two"u8.ToArray());
        await Tree.SetMetaAsync("/w/a.txt", new Dictionary<string, object?> { ["k"] = 1 });
        await Tree.MoveAsync("/w/a.txt", "/w/b.txt");
        await Tree.WriteAsync("/elsewhere.txt", "x"u8.ToArray());
        await Tree.DeleteAsync("/w/b.txt");

        var page = await Tree.ChangesAsync("/w", start);

        page.Resync.ShouldBeFalse();
        page.Changes.Select(c => (c.Kind, c.Path)).ShouldBe(
        [
            (ChangeKind.Create, "/w"), (ChangeKind.Create, "/w/a.txt"), (ChangeKind.Write, "/w/a.txt"),
            (ChangeKind.Meta, "/w/a.txt"), (ChangeKind.Move, "/w/b.txt"), (ChangeKind.Delete, "/w/b.txt"),
        ]);
        page.Changes[4].OldPath.ShouldBe("/w/a.txt");
        page.Changes.Select(c => c.Revision).ShouldBeInOrder(SortDirection.Ascending);
        page.Revision.ShouldBe(Tree.ChangeRevision);
    }

    [Fact]
    public async Task Changes_ResumeFromRevision_OnlyLaterChanges()
    {
        if (StoreUnavailable) return;
        await Tree.WriteAsync("/r/1", new byte[] { 1 });
        var mark = (await Tree.ChangesAsync("/r", 0)).Revision;
        await Tree.WriteAsync("/r/2", new byte[] { 2 });

        var page = await Tree.ChangesAsync("/r", mark);

        page.Changes.Select(c => c.Path).ShouldBe(["/r/2"]);
    }

    [Fact]
    public async Task Changes_FailedCreate_LogsNothing()
    {
        if (StoreUnavailable) return;
        await Tree.WriteAsync("/dup", new byte[] { 1 });
        var before = Tree.ChangeRevision;

        await Should.ThrowAsync<TreeException>(() => Tree.CreateAsync("/dup", ObjectRace.File));

        (await Tree.ChangesAsync("/", before)).Changes.ShouldBeEmpty();
    }

    [Fact]
    public async Task Changes_ReaderBehindRetention_ToldToResyncNeverSkipped()
    {
        if (StoreUnavailable) return;
        var small = await ReopenWithAsync(o => o with { ChangeRetention = 1 });
        for (var i = 0; i < 300; i++)
        {
            await small.WriteAsync($"/t/{i}", new byte[] { 1 });
        }

        await Poll.UntilAsync(async () => (await small.ChangesAsync("/", 0)).Resync);
        var page = await small.ChangesAsync("/", 0);

        page.Changes.ShouldBeEmpty();
        page.Revision.ShouldBe(small.ChangeRevision);
        (await small.ChangesAsync("/", page.Revision)).Resync.ShouldBeFalse();
    }

    [Fact]
    public async Task Changes_RevisionFromTheFuture_Resync()
    {
        if (StoreUnavailable) return;

        var page = await Tree.ChangesAsync("/", Tree.ChangeRevision + 1000);

        page.Resync.ShouldBeTrue();
    }

    [Fact]
    public async Task Watch_WriteAfterSubscribing_Delivered()
    {
        if (StoreUnavailable) return;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var from = Tree.ChangeRevision;
        await using var e = Tree.WatchAsync("/live", from, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = e.MoveNextAsync().AsTask();

        await Tree.WriteAsync("/live/x", new byte[] { 1 });

        (await next).ShouldBeTrue();
        e.Current.Changes.ShouldContain(c => c.Path == "/live/x" && c.Kind == ChangeKind.Create);
    }

    private async Task<TreeService> ReopenWithAsync(Func<TreeOptions, TreeOptions> tweak)
    {
        await Tree.DisposeAsync();
        _opened.Remove(Tree);
        Tree = await OpenAsync(tweak);
        return Tree;
    }
}
