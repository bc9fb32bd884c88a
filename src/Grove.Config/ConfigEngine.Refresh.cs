namespace Grove.Config;

public sealed partial class ConfigEngine
{
    /// <summary>
    /// Reads one config and its beta from the store and serves whatever is newer than what is held; a part gone from
    /// the store is removed (Diamond's <c>notify.do</c>: another node says this key changed). Returns whether anything
    /// changed here.
    /// </summary>
    public async Task<bool> RefreshAsync(ConfigKey key, CancellationToken ct = default)
    {
        return await StoreAsync(async store =>
        {
            await _syncGate.WaitAsync(ct);
            try
            {
                // Note that the revision is read first: a part absent afterwards was removed at or before it.
                var upTo = await store.ReadRevisionAsync(ct);
                var main = await store.ReadMainAsync(key, ct);
                var beta = await store.ReadBetaAsync(key, ct);
                var held = _map.Get(key);
                var mainRev = main?.Rev ?? (held?.Main is not null && held.MainRev < upTo ? upTo : 0);
                var betaRev = beta?.Rev ?? (held?.Beta is not null && held.BetaRev < upTo ? upTo : 0);
                return Apply(key, main, mainRev, beta, betaRev);
            }
            finally
            {
                _syncGate.Release();
            }
        }, ct);
    }
}
