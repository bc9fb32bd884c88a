using Grove.Testing;
using Grove.Tree.Internal.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grove.Tree.Tests;

/// <summary>
/// Point look-ups in the SQLite index read on connections of their own (without the file map): they must see every
/// commit to the file at once, whichever connection made it, and survive a memory trim.
/// </summary>
public sealed class SqlitePointReadTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetAsync_CacheOffBetweenCommitsOfTheIndexAndTheFeed_SeesEachCommittedVersion()
    {
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = _dir.Path, CacheCapacity = 0 });
        await tree.MountAsync("/m", "mem", createMissing: true);
        var first = await tree.WriteAsync("/d/a.txt", "1"u8.ToArray());

        for (var i = 0; i < 5; i++)
        {
            // Note that the mem mount's create commits only the feed's entry to the file, on the feed's connection.
            await tree.CreateAsync($"/m/f{i}", ObjectRace.File);
            (await tree.GetAsync("/m")).IsDir.ShouldBeTrue();
            var changed = await tree.SetMetaAsync("/d/a.txt", new Dictionary<string, object?> { ["n"] = i });
            (await tree.GetAsync("/d/a.txt")).Version.ShouldBe(changed.Version);
            (await tree.GetByIdAsync(first.Id)).Version.ShouldBe(changed.Version);
            if (i == 2)
            {
                await tree.TrimMemoryAsync();
            }
        }

        (await tree.FindAsync("/d/b.txt")).ShouldBeNull();
        await tree.WriteAsync("/d/b.txt", "2"u8.ToArray());
        (await tree.GetAsync("/d/b.txt")).Length.ShouldBe(1);
        (await tree.GetAsync("/d/a.txt")).Version.ShouldBe(first.Version + 5);
    }

    [Fact]
    public async Task PointCommand_RightAfterACommitThenQuiet_OffTheMapOnceThenOnIt()
    {
        await using (await TreeService.OpenAsync(new TreeOptions { DataPath = _dir.Path }))
        {
        }

        var cs = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir.Path, "index.db"), Pooling = false }.ToString();
        using var r = new SqliteReader(cs);

        r.PointCommand(0, byName: true).Connection.ShouldBeSameAs(r.Points);
        r.Read(0);
        r.PointCommand(0, byName: true).Connection.ShouldBeSameAs(r.Connection);
        r.Read(0);
        r.PointCommand(0, byName: false).Connection.ShouldBeSameAs(r.Connection);
        r.Read(0);

        // A commit: the next look-up stays off the map, the one after it (still quiet) maps again.
        r.PointCommand(1, byName: false).Connection.ShouldBeSameAs(r.Points);
        r.Read(1);
        r.PointCommand(1, byName: false).Connection.ShouldBeSameAs(r.Connection);
        r.Read(1);

        // A page read through the map after a commit leaves the map current for the look-ups after it.
        r.Read(2);
        r.PointCommand(2, byName: true).Connection.ShouldBeSameAs(r.Connection);
    }
}
