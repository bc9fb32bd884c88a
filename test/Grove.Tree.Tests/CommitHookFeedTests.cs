using Grove.Testing;

namespace Grove.Tree.Tests;

/// <summary>A commit hook that keeps some changes out of the change feed (as queue mounts do with their messages).</summary>
public sealed class CommitHookFeedTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed class QuietUnder(string prefix) : ITreeCommitHook
    {
        public int Calls;

        public ValueTask<TreeCommitStep?> BeforeCommitAsync(IReadOnlyList<TreeChange> changes, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            return ValueTask.FromResult<TreeCommitStep?>(null);
        }

        public ValueTask<bool> KeepsOutOfFeedAsync(TreeChange change, CancellationToken ct) => ValueTask.FromResult(change.Path.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeepsOutOfFeedAsync_ChangesUnderAPrefix_CommittedButNotInTheFeedAndTakeNoRevision()
    {
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = _dir.Path });
        await tree.MkdirAsync("/quiet");
        var hook = new QuietUnder("/quiet/");
        using var registration = tree.AddCommitHook(hook);
        var from = tree.ChangeRevision;

        await tree.WriteAsync("/quiet/a.txt", "1"u8.ToArray());
        await tree.DeleteAsync("/quiet/a.txt");
        var revisionAfterQuiet = tree.ChangeRevision;
        await tree.WriteAsync("/loud.txt", "2"u8.ToArray());

        revisionAfterQuiet.ShouldBe(from);
        (await tree.FindAsync("/quiet/a.txt")).ShouldBeNull();
        (await tree.ChangesAsync("/", from)).Changes.Select(c => c.Path).ShouldBe(["/loud.txt"]);
        hook.Calls.ShouldBe(3);
    }
}
