using System.Data.Common;
using Grove.Tree.Internal.Providers;

namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Runs the work that follows a commit outside the store's root index (the feed's rows and hooks' statements for a
/// <c>redis</c>, <c>mem</c> or <c>file://</c> mount) in a transaction of the store's database. On SQLite it keeps one
/// connection for it, one transaction at a time (the file has one writer anyway), so the feed's prepared insert is
/// prepared once instead of on every pooled open; other stores take a pooled connection.
/// </summary>
internal sealed class AfterCommitWriter(EngineStorage engines) : IMemoryTrim, IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private DbConnection? _kept;

    /// <summary>
    /// Runs <paramref name="work"/> and commits; a failure rolls it back and leaves nothing of it. When
    /// <paramref name="oneStatement"/> says the work is a single statement, it runs in that statement's own transaction
    /// (as atomic and as durable) and gets no explicit one.
    /// </summary>
    public async Task RunAsync(Func<DbConnection, DbTransaction?, Task> work, bool oneStatement)
    {
        if (engines.Flavor != SqlFlavor.Sqlite)
        {
            await using var c = await engines.OpenConnectionAsync(CancellationToken.None);
            await RunInAsync(c, work, oneStatement);
            return;
        }

        await _turn.WaitAsync(CancellationToken.None);
        try
        {
            _kept ??= await engines.OpenConnectionAsync(CancellationToken.None);
            await RunInAsync(_kept, work, oneStatement);
            (engines as SqliteEngineStorage)?.FileChanged();
        }
        catch
        {
            // Note that a connection that failed mid-transaction is not trusted again: the next append opens another.
            await DropAsync();
            throw;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Closes the kept connection (and its page cache) unless an append is using it now.</summary>
    public async ValueTask TrimAsync(CancellationToken ct)
    {
        if (!await _turn.WaitAsync(0, ct))
        {
            return;
        }

        try
        {
            await DropAsync();
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose()
    {
        _kept?.Dispose();
        _kept = null;
    }

    private static async Task RunInAsync(DbConnection c, Func<DbConnection, DbTransaction?, Task> work, bool oneStatement)
    {
        if (oneStatement)
        {
            // Note that BEGIN and COMMIT cost a statement each around the one that writes (prepared anew every time on
            // SQLite, a round trip each on PostgreSQL); a lone INSERT on SQLite takes the write lock before it reads.
            await work(c, null);
            return;
        }

        await using var tx = await c.BeginTransactionAsync(CancellationToken.None);
        await work(c, tx);
        await tx.CommitAsync(CancellationToken.None);
    }

    private async Task DropAsync()
    {
        if (_kept is { } c)
        {
            _kept = null;
            await c.DisposeAsync();
        }
    }
}
