using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;

namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Moves the change feed's entries that indexes outside the store's database keep beside their rows
/// (<see cref="IPendingFeed"/>) into the feed: after each commit (so the commit answers after its one write), when such
/// an index opens (entries a stopped process left), and before a reader reads. One move at a time per source in this
/// process; across processes the source's row in <c>grove_changes_sources</c>, moved from the sequence it held to the
/// last one taken in the transaction that logs them, makes every entry logged once: a move that finds it moved by
/// another node rolls back and reads again.
/// </summary>
internal sealed class PendingFeedMover(EngineStorage engines, ChangeRows rows, AfterCommitWriter writer, Func<long, Task> moved)
{
    private const int Batch = 256;
    private const int MaxFresh = 4 * Batch;
    private readonly ConcurrentDictionary<string, Source> _sources = new(StringComparer.Ordinal);

    /// <summary>This store's log: the name its commits' entries go under in every index that keeps them.</summary>
    public string Log { get; private set; } = "";

    /// <summary>Creates the sources table (schema step of the feed).</summary>
    public static Task CreateTableAsync(DbConnection c, DbTransaction tx, CancellationToken ct) =>
        EngineStorage.ExecAsync(c, tx, "CREATE TABLE IF NOT EXISTS grove_changes_sources (source TEXT PRIMARY KEY, seq BIGINT NOT NULL)", ct);

    /// <summary>Reads this store's log name, made once at random (row <c>#log</c>), the same for every node of the store.</summary>
    public async Task OpenAsync(CancellationToken ct)
    {
        await using var c = await engines.OpenConnectionAsync(ct);
        var id = Random.Shared.NextInt64(1, long.MaxValue);
        await using (var add = EngineStorage.Command(c, null, "INSERT INTO grove_changes_sources (source, seq) VALUES ('#log', @r) ON CONFLICT (source) DO NOTHING", ("r", id)))
        {
            await add.ExecuteNonQueryAsync(ct);
        }

        await using var read = EngineStorage.Command(c, null, "SELECT seq FROM grove_changes_sources WHERE source = '#log'");
        Log = Convert.ToInt64(await read.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture).ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>The last sequence the feed took from <paramref name="feed"/> as this process knows it (0 when not known).</summary>
    public long Taken(IPendingFeed feed) => _sources.TryGetValue(feed.FeedSource, out var s) ? Math.Max(0, s.Taken) : 0;

    /// <summary>
    /// Starts moving the entry a commit this process made just now (<paramref name="entry"/>, numbered by the index),
    /// from memory when it follows what the feed took, else from the index.
    /// </summary>
    public void Committed(IPendingFeed feed, FeedEntry entry)
    {
        var source = _sources.GetOrAdd(feed.FeedSource, _ => new Source(feed));
        if (entry.Sequence > 0)
        {
            lock (source.Fresh)
            {
                // Note that entries the moves cannot keep up with stay in the index: they are read from it then.
                if (source.Fresh.Count < MaxFresh)
                {
                    source.Fresh[entry.Sequence] = entry.Entry;
                }
            }
        }

        Kick(feed);
    }

    /// <summary>Starts moving what <paramref name="feed"/> holds, read from the index (it opened just now: a stopped process may have left entries).</summary>
    public void Recover(IPendingFeed feed)
    {
        _sources.GetOrAdd(feed.FeedSource, _ => new Source(feed)).Unread = true;
        Kick(feed);
    }

    /// <summary>Starts moving <paramref name="feed"/>'s entries now (or once more after the move under way) and returns at once.</summary>
    public void Kick(IPendingFeed feed)
    {
        var source = _sources.GetOrAdd(feed.FeedSource, _ => new Source(feed));
        lock (source)
        {
            if (source.Running is not null)
            {
                source.Again = true;
                return;
            }

            source.Running = Pass(source);
        }
    }

    /// <summary>
    /// Completes when the entries of every commit that answered before the call are in the feed (at most the move
    /// under way and the one after it, however busy the source); starts a move again for a source whose last failed.
    /// </summary>
    public async Task SettleAsync()
    {
        foreach (var source in _sources.Values)
        {
            Task? running;
            bool again;
            lock (source)
            {
                if (source.Running is null && source.Failed)
                {
                    source.Running = Pass(source);
                }

                (running, again) = (source.Running, source.Again);
            }

            if (running is null)
            {
                continue;
            }

            await running;
            if (again)
            {
                // Note that a commit that came while that move ran may have added its entry after the move read.
                Task? next;
                lock (source)
                {
                    next = source.Running;
                }

                if (next is not null)
                {
                    await next;
                }
            }
        }
    }

    /// <summary>Moves what <paramref name="feed"/> holds and stops following it (its index is closing).</summary>
    public async Task ForgetAsync(IPendingFeed feed)
    {
        if (_sources.TryGetValue(feed.FeedSource, out var source) && ReferenceEquals(source.Feed, feed))
        {
            Kick(feed);
            await SettleAsync();
            _sources.TryRemove(new KeyValuePair<string, Source>(feed.FeedSource, source));
        }
    }

    /// <summary>One move: every entry the source holds when it starts; then the next if a commit came meanwhile.</summary>
    private Task Pass(Source source) => Task.Run(async () =>
    {
        var failed = false;
        try
        {
            // Note that a pass yields after so many batches (a backlog, or moves lost to another node again and
            // again) and the next one goes on: never a loop that holds a thread for good.
            var batches = 0;
            while (await MoveAsync(source) == Batch)
            {
                if (++batches == 64)
                {
                    lock (source)
                    {
                        source.Again = true;
                    }

                    break;
                }
            }
        }
        catch (Exception)
        {
            // Note that the entries stay in their index (the store or the index is down, or closing): the next
            // commit, open or read moves them. The commits they belong to have answered already.
            failed = true;
            source.Taken = -1;
            source.Unread = true;
        }

        lock (source)
        {
            source.Failed = failed;
            if (source.Again && !failed)
            {
                source.Again = false;
                source.Running = Pass(source);
            }
            else
            {
                source.Again = false;
                source.Running = null;
            }
        }
    });

    /// <summary>One batch: the entries after the source's sequence logged and the sequence moved past them, in one transaction.</summary>
    private async Task<int> MoveAsync(Source source)
    {
        var name = source.Feed.FeedSource;
        if (source.Taken < 0)
        {
            source.Taken = await TakenAsync(name);
        }

        var taken = source.Taken;
        var entries = (source.Unread ? null : FreshRun(source, taken)) ?? await ReadAsync(source, taken);
        if (entries.Count == 0)
        {
            return 0;
        }

        long last = 0;
        var upTo = entries[^1].Sequence;
        var ours = true;
        await writer.RunAsync(async (c, tx) =>
        {
            await using (var up = EngineStorage.Command(c, tx, "UPDATE grove_changes_sources SET seq = @q WHERE source = @s AND seq = @t", ("q", upTo), ("s", name), ("t", taken)))
            {
                ours = await up.ExecuteNonQueryAsync(CancellationToken.None) == 1;
            }

            if (!ours)
            {
                return; // Note that another node moved them (its commit is in): nothing is written here.
            }

            foreach (var e in entries)
            {
                try
                {
                    var (changes, at) = PendingFeedCodec.Decode(e.Entry);
                    last = await rows.InsertAsync(c, tx, changes, at, CancellationToken.None);
                }
                catch (FormatException)
                {
                    // Note that an entry no version of Grove wrote would stop the source for good: it is skipped.
                }
            }
        }, oneStatement: false);

        if (!ours)
        {
            source.Taken = -1;
            source.Unread = true;
            return Batch;
        }

        source.Taken = upTo;
        await moved(last);
        return entries.Count;
    }

    /// <summary>The entries after <paramref name="taken"/> as the index holds them; until one such read comes back short, moves read the index.</summary>
    private async Task<IReadOnlyList<PendingFeedEntry>> ReadAsync(Source source, long taken)
    {
        var entries = await source.Feed.PendingAsync(Log, taken, Batch, CancellationToken.None);
        source.Unread = entries.Count == Batch;
        return entries;
    }

    /// <summary>
    /// The entries this process committed that follow <paramref name="taken"/> without a gap (none when it has none
    /// waiting), or null when there is a gap (another node's commits in the same log): those are read from the index.
    /// </summary>
    private static List<PendingFeedEntry>? FreshRun(Source source, long taken)
    {
        lock (source.Fresh)
        {
            while (source.Fresh.Count > 0 && source.Fresh.Keys[0] <= taken)
            {
                source.Fresh.RemoveAt(0);
            }

            if (source.Fresh.Count == 0)
            {
                return [];
            }

            if (source.Fresh.Keys[0] != taken + 1)
            {
                source.Fresh.Clear();
                return null;
            }

            var run = new List<PendingFeedEntry>();
            while (run.Count < Batch && source.Fresh.Count > 0 && source.Fresh.Keys[0] == taken + 1 + run.Count)
            {
                run.Add(new PendingFeedEntry(source.Fresh.Keys[0], source.Fresh.Values[0]));
                source.Fresh.RemoveAt(0);
            }

            return run;
        }
    }

    private async Task<long> TakenAsync(string name)
    {
        long taken = 0;
        await writer.RunAsync(async (c, tx) =>
        {
            await using (var add = EngineStorage.Command(c, tx, "INSERT INTO grove_changes_sources (source, seq) VALUES (@s, 0) ON CONFLICT (source) DO NOTHING", ("s", name)))
            {
                await add.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await using var read = EngineStorage.Command(c, tx, "SELECT seq FROM grove_changes_sources WHERE source = @s", ("s", name));
            taken = Convert.ToInt64(await read.ExecuteScalarAsync(CancellationToken.None), CultureInfo.InvariantCulture);
        }, oneStatement: false);
        return taken;
    }

    private sealed class Source(IPendingFeed feed)
    {
        public IPendingFeed Feed { get; } = feed;

        public Task? Running { get; set; }

        public bool Again { get; set; }

        public bool Failed { get; set; }

        /// <summary>The last sequence the feed took from this source, as this process last read or wrote it; -1 unknown.</summary>
        public long Taken { get; set; } = -1;

        /// <summary>
        /// Whether the index may hold entries this process did not commit (at first, after a failed move, after another
        /// node moved some): the next move reads the index, not memory.
        /// </summary>
        public bool Unread { get; set; } = true;

        /// <summary>Entries of this process's commits not moved yet, by sequence.</summary>
        public SortedList<long, ReadOnlyMemory<byte>> Fresh { get; } = [];
    }
}
