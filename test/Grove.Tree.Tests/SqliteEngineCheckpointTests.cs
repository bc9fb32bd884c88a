using Grove.Testing;
using Grove.Tree.Storage;

namespace Grove.Tree.Tests;

/// <summary>
/// Engine writes on the SQLite store are copied from the WAL into the database file by a thread of the storage's
/// own, not by SQLite's automatic checkpoint inside some later commit (which would hold the write lock through the
/// file's fsync and stall every writer queued behind it).
/// </summary>
public sealed class SqliteEngineCheckpointTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EngineWrite_NoOtherCheckpointer_CopiedIntoTheFileInTheBackground()
    {
        // Note that the storage is opened alone (no tree, so no indexer's checkpointer on the file).
        var file = Path.Combine(_dir.Path, "engines.db");
        await using var storage = Grove.Tree.Internal.Providers.SqliteEngineStorage.ForFile(file, fullSync: false);
        await using (var c = await storage.OpenConnectionAsync(CancellationToken.None))
        {
            await EngineStorage.ExecAsync(c, null, "PRAGMA journal_mode=WAL; CREATE TABLE t_fill (id INTEGER PRIMARY KEY, pad TEXT)", CancellationToken.None);
        }

        var before = new FileInfo(file).Length;
        await using (var c = await storage.OpenConnectionAsync(CancellationToken.None))
        {
            await using var tx = await c.BeginTransactionAsync();
            await EngineStorage.ExecAsync(c, tx, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO t_fill SELECT i, printf('%.200c', 'x') FROM n", CancellationToken.None);
            await tx.CommitAsync();
        }

        // Note that 20,000 rows of 200 bytes are ~1,000 pages in the WAL: below the automatic checkpoint's backstop, so only the background thread moves them.
        await Poll.UntilAsync(() => new FileInfo(file).Length >= before + (2L << 20), "the engine's pages copied into index.db");
    }
}
