using Grove.Tree;

namespace Grove.Config.Internal;

internal sealed partial class TreeConfigStore
{
    private const int MaxCommitAttempts = 64;

    // Note that this node's commits are serialized by the engine, so the counter it wrote last is usually still
    // current: remembering it saves a read per commit, and a stale memory only costs one conflict and a re-read.
    private (long Value, long Version)? _counter;

    public async Task<IReadOnlyList<AppliedChange>> CommitAsync(IReadOnlyList<ConfigKey> keys, ReadNeeds needs, Func<IReadOnlyDictionary<ConfigKey, KeyState>, IReadOnlyList<Change>> decide, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var states = new Dictionary<ConfigKey, KeyState>();
            foreach (var key in keys.Distinct())
            {
                var main = needs.HasFlag(ReadNeeds.MainBody) ? await ReadMainAsync(key, ct) : await ReadMainHeaderAsync(key, ct);
                var beta = needs.HasFlag(ReadNeeds.Beta) ? await ReadBetaAsync(key, ct) : null;
                states[key] = new KeyState(main, beta);
            }

            if (_counter is null)
            {
                var o = await _tree.GetAsync(ConfigPaths.Revision, ct);
                _counter = (ConfigMeta.Long(o.Meta, ConfigMeta.Counter), o.Version);
            }

            var (value, version) = _counter.Value;
            var changes = decide(states);
            if (changes.Count == 0)
            {
                return [];
            }

            var first = value + 1;
            var batch = new TreeBatch().Replace(ConfigPaths.Revision, version, new BatchFile { Meta = StoredCodec.Counter(first + changes.Count - 1) }, Admin);
            var slots = new List<(int Main, int Beta)>();
            var expires = _retention is { } keep ? _time.GetUtcNow().Add(keep).ToUnixTimeMilliseconds() : (long?)null;
            for (var i = 0; i < changes.Count; i++)
            {
                var c = changes[i];
                var rev = first + i;
                var state = states.TryGetValue(c.Key, out var s) ? s : new KeyState(null, null);
                var user = c.History.User;
                var main = c.SetsMain ? Stage(batch, ConfigPaths.Item(c.Key), state.Main?.Version, c.Main is null ? null : StoredCodec.File(c.Main, rev), user) : -1;
                var beta = c.SetsBeta ? Stage(batch, ConfigPaths.Beta(c.Key), state.Beta?.Version, c.Beta is null ? null : StoredCodec.File(c.Beta, rev), user) : -1;
                batch.Create(ConfigPaths.HistoryEntry(rev), StoredCodec.File(c.History, rev, expires), user);
                slots.Add((main, beta));
            }

            IReadOnlyList<TreeObject?> written;
            try
            {
                written = await _tree.CommitAsync(batch, ct);
            }
            catch (TreeException e) when (e.Code is TreeErrorCode.Conflict or TreeErrorCode.AlreadyExists or TreeErrorCode.NotFound && attempt < MaxCommitAttempts)
            {
                // Another writer (usually another node) committed first: read the new state and decide again.
                _counter = null;
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 2 + attempt)), ct);
                continue;
            }
            catch
            {
                _counter = null;
                throw;
            }

            _counter = (first + changes.Count - 1, written[0]!.Version);
            var applied = new List<AppliedChange>(changes.Count);
            for (var i = 0; i < changes.Count; i++)
            {
                var c = changes[i];
                var (mainSlot, betaSlot) = slots[i];
                var main = c.Main is not null && mainSlot >= 0 && written[mainSlot] is { } mo
                    ? c.Main with { Rev = first + i, Created = mo.Created, CreatedBy = mo.Creator, Modified = mo.Modified, ModifiedBy = mo.Modifier, Version = mo.Version }
                    : null;
                var beta = c.Beta is not null && betaSlot >= 0 && written[betaSlot] is { } bo
                    ? c.Beta with { Rev = first + i, Modified = bo.Modified, ModifiedBy = bo.Modifier, Version = bo.Version }
                    : null;
                applied.Add(new AppliedChange(c, first + i, main, beta));
            }

            return applied;
        }
    }

    /// <summary>Adds the create, replace or delete of one object; returns its index in the batch, or -1 when nothing changes.</summary>
    private static int Stage(TreeBatch batch, string path, long? version, BatchFile? file, string? user)
    {
        switch (file, version)
        {
            case (null, null):
                return -1;
            case (null, { } v):
                batch.Delete(path, v);
                break;
            case ({ } f, null):
                batch.Create(path, f, user);
                break;
            case ({ } f, { } v):
                batch.Replace(path, v, f, user);
                break;
        }

        return batch.Count - 1;
    }
}
