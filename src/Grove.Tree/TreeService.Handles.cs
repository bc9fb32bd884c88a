using Grove.Tree.Internal;

namespace Grove.Tree;

public sealed partial class TreeService
{
    /// <summary>
    /// Opens the write handle of a file (created with its parents if missing). Fails with <c>handle_busy</c> while
    /// another handle's lease is live. The handle's token fences off any earlier holder.
    /// </summary>
    public async Task<WriteHandle> OpenWriteAsync(string path, WriteMode mode = WriteMode.Truncate, string? user = null, CancellationToken ct = default)
    {
        var loc = await CreateLocatedAsync(TreeNames.Normalize(path), ObjectRace.File, new CreateOptions { ExistOk = true, User = user }, ct);
        var lease = (long)_options.HandleLease.TotalMilliseconds;
        long token = 0;
        long until = 0;
        loc = await MutateAsync(loc, row =>
        {
            var now = Now;
            if (row.WriteToken is { } held && row.WriteLeaseUntil > now)
            {
                throw new TreeException(TreeErrorCode.HandleBusy, $"{loc.Path} is held by write handle {held} until {DateTimeOffset.FromUnixTimeMilliseconds(row.WriteLeaseUntil):O}");
            }

            token = row.Version + 1;
            until = now + lease;
            return (row with { WriteToken = token, WriteLeaseUntil = until }, null);
        }, ct);

        var writer = loc.Bucket.CreateWriter(InlineLimit(loc.Bucket));
        try
        {
            if (mode != WriteMode.Truncate && loc.Object.Length > 0)
            {
                await using var old = await OpenContentAsync(loc, ct);
                await old.CopyToAsync(writer, CopyBuffer, ct);
                writer.Position = mode == WriteMode.Append ? writer.Length : 0;
            }
        }
        catch
        {
            writer.Dispose();
            await ReleaseLeaseAsync(loc, token);
            throw;
        }

        return new WriteHandle(this, loc, writer, token, until);
    }

    /// <summary>Renews the lease once half of it has passed; returns the lease end.</summary>
    internal async Task<long> RenewLeaseAsync(Located loc, long token, long until, CancellationToken ct)
    {
        var lease = (long)_options.HandleLease.TotalMilliseconds;
        var now = Now;
        if (until - now > lease / 2)
        {
            return until;
        }

        var next = now + lease;
        await MutateAsync(loc, row =>
        {
            if (row.WriteToken != token)
            {
                throw new TreeException(TreeErrorCode.HandleLost, $"the write handle on {loc.Path} was taken over after its lease ended");
            }

            return (row with { WriteLeaseUntil = next }, null);
        }, ct);
        return next;
    }

    internal async Task ReleaseLeaseAsync(Located loc, long token)
    {
        try
        {
            await MutateAsync(loc, row => (row.WriteToken == token ? row with { WriteToken = null, WriteLeaseUntil = 0 } : row, null), CancellationToken.None);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
        {
            // The file was deleted while the handle was open: nothing to release.
        }
    }
}
