namespace Grove.Tree.Internal.Sqlite;

internal sealed partial class SqliteIndexer : IMemoryTrim
{
    /// <summary>Readers kept open by a trim: enough for a trickle of requests without opening connections.</summary>
    private const int IdleReaders = 2;

    /// <summary>
    /// Gives back the page caches of idle connections (each may hold up to 64 MiB, and a load of many clients opens up
    /// to <see cref="MaxReaders"/> readers): the writer's and kept readers' caches are shrunk, idle readers beyond
    /// <see cref="IdleReaders"/> are closed. Readers in use stay as they are.
    /// </summary>
    public async ValueTask TrimAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            if (_disposed)
            {
                return;
            }

            Exec(_writer, "PRAGMA shrink_memory;");
        }
        finally
        {
            _writeLock.Release();
        }

        var idle = new List<SqliteReader>();
        while (_readers.TryTake(out var r))
        {
            idle.Add(r);
        }

        for (var i = 0; i < idle.Count; i++)
        {
            if (i < IdleReaders)
            {
                Exec(idle[i].Connection, "PRAGMA shrink_memory;");
                _readers.Add(idle[i]);
            }
            else
            {
                idle[i].Dispose();
            }
        }
    }
}
