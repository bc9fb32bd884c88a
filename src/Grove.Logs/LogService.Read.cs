using System.Runtime.CompilerServices;
using Grove.Logs.Internal;
using Grove.Logs.Internal.Archive;
using Grove.Tree;

namespace Grove.Logs;

public sealed partial class LogService
{
    private const int HandoverRetries = 40;
    private static readonly TimeSpan HandoverWait = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// A page of lines numbered from <paramref name="from"/> (default page size <see cref="LogOptions.DefaultPageSize"/>,
    /// at most <see cref="LogOptions.MaxPageSize"/>), from the live copy if there is one, else from the archive, with
    /// the total. <paramref name="from"/> past the end gives an empty page with the total; a negative one or a bad
    /// limit fails with <c>invalid_range</c>.
    /// </summary>
    public Task<LogPage> ReadAsync(string taskId, long from = 0, int? limit = null, CancellationToken ct = default)
    {
        var n = limit ?? _options.DefaultPageSize;
        if (from < 0)
        {
            throw LogException.Range($"from must be 0 or more, not {from}");
        }

        if (n < 1 || n > _options.MaxPageSize)
        {
            throw LogException.Range($"limit must be 1 to {_options.MaxPageSize}, not {n}");
        }

        RequireId(taskId);
        return ReadPageAsync(taskId, from, n, ct);
    }

    /// <summary>The last <paramref name="lines"/> lines (1 to <see cref="LogOptions.MaxPageSize"/>).</summary>
    public async Task<LogPage> TailAsync(string taskId, int lines = 100, CancellationToken ct = default)
    {
        if (lines < 1 || lines > _options.MaxPageSize)
        {
            throw LogException.Range($"n must be 1 to {_options.MaxPageSize}, not {lines}");
        }

        RequireId(taskId);
        var total = (await ReadPageAsync(taskId, long.MaxValue, 1, ct)).Total;
        return await ReadPageAsync(taskId, Math.Max(0, total - lines), lines, ct);
    }

    /// <summary>
    /// Lines from <paramref name="from"/> on as they arrive: yields what is stored, then waits for appends, and ends
    /// once the task is finished and every line was delivered. It continues across the live-to-archive handover.
    /// </summary>
    public IAsyncEnumerable<LogLine> FollowAsync(string taskId, long from = 0, CancellationToken ct = default)
    {
        if (from < 0)
        {
            throw LogException.Range($"from must be 0 or more, not {from}");
        }

        RequireId(taskId);
        return FollowCoreAsync(taskId, from, ct);
    }

    private async IAsyncEnumerable<LogLine> FollowCoreAsync(string taskId, long from, [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var signal = _signals.Next(taskId);
            var page = await ReadPageAsync(taskId, from, _options.DefaultPageSize, ct);
            foreach (var line in page.Lines)
            {
                yield return line;
            }

            from = page.Next;
            if (page.Lines.Count > 0)
            {
                continue;
            }

            if (page.Finished)
            {
                yield break;
            }

            await WaitAsync(signal, ct);
        }
    }

    private async Task WaitAsync(Task signal, CancellationToken ct)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(_options.FollowPoll, _time, poll.Token);
        await Task.WhenAny(signal, delay);
        await poll.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    private async Task<LogPage> ReadPageAsync(string taskId, long from, int limit, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            // One more than asked, so a page ending at the head still sees the first kept tail line (the marker's time).
            var live = await _live.ReadAsync(taskId, from, limit + 1, ct);
            if (live is not null)
            {
                return LivePages.Of(live, from, limit);
            }

            var obj = await FindObjectAsync(taskId, ct) ?? throw LogException.NotFound(taskId);
            if (Catalog.IsArchived(obj))
            {
                return await ArchivePageAsync(taskId, obj, from, limit, ct);
            }

            // Finished, not archived, and no live copy: the archive is being handed over (another node's catalog
            // change may take a moment to reach this node's cache). Running without a live copy: no line yet.
            var finished = Catalog.ParseStatus(Catalog.Text(obj, Catalog.Status)) != LogTaskStatus.Running;
            if (!finished || attempt >= HandoverRetries)
            {
                return new LogPage([], from, from, 0, finished, LogStorage.Live);
            }

            await Task.Delay(HandoverWait, _time, ct);
        }
    }

    private async Task<LogPage> ArchivePageAsync(string taskId, TreeObject obj, long from, int limit, CancellationToken ct)
    {
        await using var s = await _tree.OpenReadAsync(obj.Path!, ct);
        var index = await IndexOfAsync(obj, s, ct);
        var lines = await ArchiveReader.ReadAsync(s, index, from, limit, Counters, taskId, ct);
        var total = index.Totals.Total;
        return new LogPage(lines, from, lines.Count > 0 ? lines[^1].Number + 1 : Math.Max(from, total), total, true, LogStorage.Archived);
    }

    private async Task<ArchiveIndex> IndexOfAsync(TreeObject obj, Stream s, CancellationToken ct)
    {
        var key = obj.Id + ":" + obj.Sha256;
        if (_indexes.Find(key) is { } cached)
        {
            return cached;
        }

        var index = await ArchiveIndex.ReadAsync(s, Catalog.IdOf(obj), ct);
        _indexes.Put(key, index);
        return index;
    }
}
