using Grove.Testing;
using Microsoft.Data.Sqlite;

namespace Grove.Tree.Tests;

/// <summary>The change feed's table on SQLite: its schema upgrade and the rule that revisions never go back.</summary>
public sealed class SqliteChangeFeedTests : IDisposable
{
    private readonly TempFolder _dir = new();

    private string IndexFile => Path.Combine(_dir.Path, "index.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task OpenAsync_FeedOfSchemaVersion1_MigratesKeepingRevisionsAndContinuesAfterThem()
    {
        long last;
        await using (var tree = await OpenAsync())
        {
            await tree.WriteAsync("/a.txt", "1"u8.ToArray());
            await tree.WriteAsync("/b.txt", "2"u8.ToArray());
            last = tree.ChangeRevision;
        }

        // Puts the table back as version 1 made it (AUTOINCREMENT), with the same rows.
        Exec("""
            CREATE TABLE old_changes (rev INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL, path TEXT NOT NULL, old_path TEXT,
                id TEXT NOT NULL, dir INTEGER NOT NULL, ver BIGINT NOT NULL, usr TEXT, at BIGINT NOT NULL);
            INSERT INTO old_changes SELECT * FROM grove_changes;
            DROP TABLE grove_changes;
            ALTER TABLE old_changes RENAME TO grove_changes;
            UPDATE grove_schema SET version = 1 WHERE engine = 'tree-changes'
            """);

        await using (var tree = await OpenAsync())
        {
            var before = await tree.ChangesAsync("/", 0);
            before.Changes.Select(c => c.Path).ShouldBe(["/a.txt", "/b.txt"]);
            await tree.WriteAsync("/c.txt", "3"u8.ToArray());

            var after = await tree.ChangesAsync("/", last);
            after.Changes.Single().Path.ShouldBe("/c.txt");
            after.Changes.Single().Revision.ShouldBe(last + 1);
        }

        Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'grove_changes' AND sql LIKE '%AUTOINCREMENT%'").ShouldBe(0L);
        Scalar("SELECT version FROM grove_schema WHERE engine = 'tree-changes'").ShouldBe(4L);
    }

    [Fact]
    public async Task CreateAsync_FeedTrimmedEmpty_RevisionContinuesPastTheFloor()
    {
        await using (var tree = await OpenAsync())
        {
            await tree.WriteAsync("/a.txt", "1"u8.ToArray());
        }

        Exec("DELETE FROM grove_changes; UPDATE grove_changes_floor SET rev = 1000 WHERE k = 1");

        await using (var tree = await OpenAsync())
        {
            await tree.WriteAsync("/b.txt", "2"u8.ToArray());

            tree.ChangeRevision.ShouldBe(1001);
            var page = await tree.ChangesAsync("/", 1000);
            page.Resync.ShouldBeFalse();
            page.Changes.Single().Path.ShouldBe("/b.txt");
        }
    }

    [Fact]
    public async Task CreateAsync_OnAMemMountBetweenRootWrites_LoggedInCommitOrderAcrossATrimAndAReopen()
    {
        await using (var tree = await OpenAsync())
        {
            await tree.MountAsync("/m", "mem", createMissing: true);
            var from = tree.ChangeRevision;
            await tree.WriteAsync("/a.txt", "1"u8.ToArray());
            await tree.CreateAsync("/m/x", ObjectRace.File);
            await tree.WriteAsync("/b.txt", "2"u8.ToArray());
            await tree.TrimMemoryAsync();
            await tree.CreateAsync("/m/y", ObjectRace.File);
            await tree.WriteAsync("/c.txt", "3"u8.ToArray());

            var page = await tree.ChangesAsync("/", from);
            page.Changes.Select(c => c.Path).ShouldBe(["/a.txt", "/m/x", "/b.txt", "/m/y", "/c.txt"]);
            page.Changes.Select(c => c.Revision).ShouldBe(Enumerable.Range(1, 5).Select(i => from + i));
        }

        await using (var again = await OpenAsync())
        {
            (await again.ChangesAsync("/m", 0)).Changes.Select(c => c.Path).Where(p => p != "/m").ShouldBe(["/m/x", "/m/y"]);
        }
    }

    [Fact]
    public async Task CreateAsync_ConcurrentOnAMemMountAndTheRoot_EveryChangeLoggedOnceWithItsOwnRevision()
    {
        await using var tree = await OpenAsync();
        await tree.MountAsync("/m", "mem", createMissing: true);
        var from = tree.ChangeRevision;

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => i % 2 == 0
            ? tree.CreateAsync($"/m/f{i}", ObjectRace.File)
            : tree.CreateAsync($"/r{i}", ObjectRace.File))));

        var page = await tree.ChangesAsync("/", from);
        page.Changes.Select(c => c.Path).Order().ShouldBe(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? $"/m/f{i}" : $"/r{i}").Order());
        page.Changes.Select(c => c.Revision).ShouldBe(Enumerable.Range(1, 40).Select(i => from + i));
    }

    [Fact]
    public async Task WriteAsync_OnAMemMountOneChangeThenSeveralInOneCommit_EachLoggedOnceInCommitOrder()
    {
        await using var tree = await OpenAsync();
        await tree.MountAsync("/m", "mem", createMissing: true);
        var from = tree.ChangeRevision;

        // Note that one change is logged in its statement's own transaction, several in one explicit transaction.
        await tree.CreateAsync("/m/one", ObjectRace.File);
        await tree.WriteAsync("/m/d1/d2/f.txt", "x"u8.ToArray(), new PutOptions { Parents = true });
        await tree.WriteAsync("/root.txt", "y"u8.ToArray());
        await tree.CreateAsync("/m/two", ObjectRace.File);

        var page = await tree.ChangesAsync("/", from);
        page.Changes.Select(c => c.Path).ShouldBe(["/m/one", "/m/d1", "/m/d1/d2", "/m/d1/d2/f.txt", "/root.txt", "/m/two"]);
        page.Changes.Select(c => c.Revision).ShouldBe(Enumerable.Range(1, 6).Select(i => from + (long)i));
        tree.ChangeRevision.ShouldBe(from + 6);
    }

    private Task<TreeService> OpenAsync() => TreeService.OpenAsync(new TreeOptions { DataPath = _dir.Path });

    private void Exec(string sql)
    {
        using var c = new SqliteConnection($"Data Source={IndexFile};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var c = new SqliteConnection($"Data Source={IndexFile};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
