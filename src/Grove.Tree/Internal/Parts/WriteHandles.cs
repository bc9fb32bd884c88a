namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Write handles (the seed's handles): one per file at a time, held by a lease in the row itself (<c>wtok</c>,
/// <c>wexp</c>) so it holds across processes; the fencing token is the row version at take-over.
/// </summary>
internal sealed class WriteHandles(RowWriter rows, ContentIo content, TimeSpan lease)
{
    private long LeaseMs => (long)lease.TotalMilliseconds;

    public async Task<WriteHandle> OpenAsync(Located loc, WriteMode mode, CancellationToken ct)
    {
        long token = 0;
        long until = 0;
        loc = await rows.MutateAsync(loc, row =>
        {
            var now = rows.Now;
            if (row.WriteToken is { } held && row.WriteLeaseUntil > now)
            {
                throw new TreeException(TreeErrorCode.HandleBusy, $"{loc.Path} is held by write handle {held} until {DateTimeOffset.FromUnixTimeMilliseconds(row.WriteLeaseUntil):O}");
            }

            token = row.Version + 1;
            until = now + LeaseMs;
            return (row with { WriteToken = token, WriteLeaseUntil = until }, null);
        }, ct);

        var writer = loc.Bucket.CreateWriter(content.InlineLimit(loc.Bucket));
        try
        {
            if (mode != WriteMode.Truncate && loc.Object.Length > 0)
            {
                await using var old = await content.OpenContentAsync(loc, ct);
                await old.CopyToAsync(writer, ContentIo.CopyBuffer, ct);
                writer.Position = mode == WriteMode.Append ? writer.Length : 0;
            }
        }
        catch
        {
            writer.Dispose();
            await ReleaseLeaseAsync(loc, token);
            throw;
        }

        return new WriteHandle(this, content, loc, writer, token, until);
    }

    /// <summary>Renews the lease once half of it has passed; returns the lease end.</summary>
    public async Task<long> RenewLeaseAsync(Located loc, long token, long until, CancellationToken ct)
    {
        var now = rows.Now;
        if (until - now > LeaseMs / 2)
        {
            return until;
        }

        var next = now + LeaseMs;
        await rows.MutateAsync(loc, row =>
        {
            if (row.WriteToken != token)
            {
                throw new TreeException(TreeErrorCode.HandleLost, $"the write handle on {loc.Path} was taken over after its lease ended");
            }

            return (row with { WriteLeaseUntil = next }, null);
        }, ct);
        return next;
    }

    public async Task ReleaseLeaseAsync(Located loc, long token)
    {
        try
        {
            await rows.MutateAsync(loc, row => (row.WriteToken == token ? row with { WriteToken = null, WriteLeaseUntil = 0 } : row, null), CancellationToken.None);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
        {
            // The file was deleted while the handle was open: nothing to release.
        }
    }
}
