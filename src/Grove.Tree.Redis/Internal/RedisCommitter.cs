using Grove.Tree.Storage;
using StackExchange.Redis;

namespace Grove.Tree.Redis.Internal;

/// <summary>
/// Applies a <see cref="ChangeSet"/> as one Redis transaction (MULTI/EXEC) guarded by conditions on what was read:
/// each row's version, each name slot, each blob's reference row. When another node changed any of them in between,
/// nothing is applied and the set is checked again (then refused with the real cause, or retried).
/// </summary>
internal sealed class RedisCommitter(IDatabase db, RedisKeys keys, TimeProvider time)
{
    private const int Attempts = 8;

    public async Task CommitAsync(ChangeSet changes, CancellationToken ct)
    {
        if (changes.Sql is not null)
        {
            throw new TreeException(TreeErrorCode.NotSupported, "the 'redis' index runs no SQL");
        }

        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var tx = db.CreateTransaction();
            await PrepareAsync(tx, changes);
            if (await tx.ExecuteAsync())
            {
                return;
            }

            if (attempt == Attempts)
            {
                throw new TreeException(TreeErrorCode.Conflict, "the redis index kept changing under this operation; try again");
            }
        }
    }

    private async Task PrepareAsync(ITransaction tx, ChangeSet changes)
    {
        var gone = new HashSet<string>(StringComparer.Ordinal);
        var old = new Dictionary<string, (string Pid, string Nm)>(StringComparer.Ordinal);
        foreach (var (id, expected) in changes.Deletes)
        {
            old[id] = await ExpectAsync(tx, id, expected);
            gone.Add(id);
        }

        foreach (var (row, expected) in changes.Updates)
        {
            old[row.Id] = await ExpectAsync(tx, row.Id, expected);
        }

        var taken = new HashSet<(string, string)>();
        foreach (var (row, _) in changes.Updates)
        {
            var (pid, nm) = old[row.Id];
            if (pid != row.ParentId || nm != row.Name)
            {
                await ClaimSlotAsync(tx, row, gone);
            }

            taken.Add((row.ParentId, row.Name));
        }

        foreach (var row in changes.Inserts)
        {
            if (!taken.Add((row.ParentId, row.Name)))
            {
                throw TreeException.Exists($"'{row.Name}' in its directory");
            }

            tx.AddCondition(Condition.KeyNotExists(keys.Object(row.Id)));
            await ClaimSlotAsync(tx, row, gone);
        }

        foreach (var (id, _) in changes.Deletes)
        {
            var (pid, nm) = old[id];
            _ = tx.KeyDeleteAsync(keys.Object(id));
            _ = tx.HashDeleteAsync(keys.Names(pid), nm);
            _ = tx.SortedSetRemoveAsync(keys.Children(pid), nm);
            _ = tx.SortedSetRemoveAsync(keys.Expiring, id);
            _ = tx.SortedSetRemoveAsync(keys.ContentRows, id);
        }

        foreach (var (row, _) in changes.Updates)
        {
            var (pid, nm) = old[row.Id];
            if (pid != row.ParentId || nm != row.Name)
            {
                _ = tx.HashDeleteAsync(keys.Names(pid), nm);
                _ = tx.SortedSetRemoveAsync(keys.Children(pid), nm);
            }

            Write(tx, row);
        }

        foreach (var row in changes.Inserts)
        {
            Write(tx, row);
        }

        await RefsAsync(tx, changes);
    }

    private async Task<(string Pid, string Nm)> ExpectAsync(ITransaction tx, string id, long expected)
    {
        var f = await db.HashGetAsync(keys.Object(id), ["v", "pid", "nm"]);
        if (f[0].IsNull || (long)f[0] != expected)
        {
            throw new TreeException(TreeErrorCode.Conflict, $"object {id} changed or vanished during the operation");
        }

        tx.AddCondition(Condition.HashEqual(keys.Object(id), "v", expected));
        return (f[1].ToString(), f[2].ToString());
    }

    /// <summary>Makes sure the name is free when the transaction runs: unused, held by a row this set deletes, or by an expired row's leftover.</summary>
    private async Task ClaimSlotAsync(ITransaction tx, TreeObject row, HashSet<string> gone)
    {
        var names = keys.Names(row.ParentId);
        var occupant = await db.HashGetAsync(names, row.Name);
        if (occupant.IsNull)
        {
            tx.AddCondition(Condition.HashNotExists(names, row.Name));
            return;
        }

        var holder = occupant.ToString();
        if (!gone.Contains(holder) && await db.KeyExistsAsync(keys.Object(holder)))
        {
            throw TreeException.Exists($"'{row.Name}' in its directory");
        }

        tx.AddCondition(Condition.HashEqual(names, row.Name, holder));
        if (!gone.Contains(holder))
        {
            tx.AddCondition(Condition.KeyNotExists(keys.Object(holder)));
        }
    }

    private void Write(ITransaction tx, TreeObject row)
    {
        var key = keys.Object(row.Id);
        _ = tx.HashSetAsync(key, RedisKeys.Encode(row));
        _ = tx.HashSetAsync(keys.Names(row.ParentId), row.Name, row.Id);
        _ = tx.SortedSetAddAsync(keys.Children(row.ParentId), row.Name, 0);
        if (row.Expires is { } expi)
        {
            // Note that expi is a Redis expiry: the object vanishes on time even when no node sweeps.
            _ = tx.KeyExpireAsync(key, DateTimeOffset.FromUnixTimeMilliseconds(expi).UtcDateTime);
            _ = tx.SortedSetAddAsync(keys.Expiring, row.Id, expi);
        }
        else
        {
            _ = tx.KeyPersistAsync(key);
            _ = tx.SortedSetRemoveAsync(keys.Expiring, row.Id);
        }

        if (row is { Race: ObjectRace.File, Sha256: not null })
        {
            _ = tx.SortedSetAddAsync(keys.ContentRows, row.Id, 0);
        }
        else
        {
            _ = tx.SortedSetRemoveAsync(keys.ContentRows, row.Id);
        }
    }

    private async Task RefsAsync(ITransaction tx, ChangeSet changes)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var group in changes.Refs.GroupBy(r => (r.Bucket, r.Sha256)))
        {
            var (bucket, sha) = group.Key;
            var blobs = keys.Blobs(bucket);
            var current = await db.HashGetAsync(blobs, sha);
            BlobRow? before = current.IsNull ? null : RedisKeys.ParseBlob(bucket, sha, current.ToString());
            tx.AddCondition(current.IsNull ? Condition.HashNotExists(blobs, sha) : Condition.HashEqual(blobs, sha, current));
            var refs = (before?.Refs ?? 0) + group.Sum(r => r.Delta);
            long? zero = refs <= 0 ? before?.ZeroSince ?? now : null;
            _ = tx.HashSetAsync(blobs, sha, RedisKeys.BlobValue(group.Last().Length, refs, zero));
            var member = bucket + "\n" + sha;
            _ = zero is { } z ? tx.SortedSetAddAsync(keys.Unreferenced, member, z) : tx.SortedSetRemoveAsync(keys.Unreferenced, member);
        }
    }
}
