namespace Grove.Tree.Internal.Sqlite;

internal sealed partial class SqliteIndexer : IMemoryTrim
{
    /// <summary>Readers kept open by a trim: enough for a trickle of requests without opening connections.</summary>
    private const int IdleReaders = 2;

    /// <summary>
    /// Shrinks the page cache and unmaps the file (setting the map size to 0 unmaps it at once; the original size maps
    /// it again lazily, on the next read): the pages a load touched through the map stay in the kernel's page cache
    /// but no longer count in the process's resident set.
    /// </summary>
    private const string Release = "PRAGMA shrink_memory; PRAGMA mmap_size=0; " + MapPragma;

    /// <summary>
    /// Gives back the page caches of idle connections (each may hold up to 64 MiB, and a load of many clients opens up
    /// to <see cref="MaxReaders"/> readers): the writer's and kept readers' caches are shrunk, idle readers beyond
    /// <see cref="IdleReaders"/> are closed, and kept connections drop their map of the file. Readers in use stay as
    /// they are.
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

            Exec(_writer, Release);
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
                Exec(idle[i].Connection, Release);
                Exec(idle[i].Points, "PRAGMA shrink_memory;");
                _readers.Add(idle[i]);
            }
            else
            {
                idle[i].Dispose();
            }
        }
    }
}
