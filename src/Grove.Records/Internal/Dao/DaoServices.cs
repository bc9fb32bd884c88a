using Grove.Tree.Storage;

namespace Grove.Records.Internal.Dao;

/// <summary>
/// Finds the records engine a <c>dao</c> mount works through, lazily on each use: the engine the host opened on this
/// store (the server's records module, the CLI's records commands) when there is one, so the mount and the records
/// API share one hot cache; otherwise an engine of the mount's own with its cache off (nothing else would hear its
/// changes), opened on first use and closed with the mount.
/// </summary>
internal sealed class DaoServices(OpenedStore store, TimeProvider time) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RecordService? _own;

    public async ValueTask<RecordService> GetAsync(CancellationToken ct)
    {
        if (OpenServices.For(store.Engines) is { } open)
        {
            return open;
        }

        if (_own is { } own)
        {
            return own;
        }

        await _gate.WaitAsync(ct);
        try
        {
            return _own ??= await RecordService.OpenForStoreAsync(store, time, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_own is { } own)
        {
            await own.DisposeAsync();
        }

        _gate.Dispose();
    }
}
