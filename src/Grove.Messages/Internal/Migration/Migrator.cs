using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Grove.Config;
using Grove.Messages.Internal.Storage;
using Grove.Tree.Storage;

namespace Grove.Messages.Internal.Migration;

/// <summary>
/// Moves a row-per-field table into one document per message: mappings first, then N readers over id ranges feeding
/// bulk writers (one on SQLite, whose writes are serial anyway; several on PostgreSQL), each range committed with its
/// checkpoint, then the verification.
/// </summary>
internal sealed class Migrator(IMessageStore store, MappingSource mappings, ConfigEngine config, MessageOptions options)
{
    private sealed record Batch(long K, List<NewMessage> Messages, RangeCounts Counts);

    public async Task<MigrationReport> RunAsync(MigrationOptions o, IProgress<MigrationProgress>? progress, CancellationToken ct)
    {
        Check(o);
        await using var source = LegacySource.Open(o.From);
        await source.CheckColumnsAsync(o.Table,
        [
            ("--id-column", o.IdColumn), ("--partner-column", o.PartnerColumn), ("--field-column", o.FieldColumn), ("--value-column", o.ValueColumn),
            ("--display-column", o.DisplayColumn), ("--time-column", o.TimeColumn), ("--type-column", o.TypeColumn),
        ], ct);
        if (o.ConfigTable is { } configTable)
        {
            await source.CheckColumnsAsync(configTable, [("--config-partner-column", o.ConfigPartnerColumn), ("--config-field-column", o.ConfigFieldColumn), ("--config-display-column", o.ConfigDisplayColumn)], ct);
        }

        var runId = RunId(source.Display, o);
        var run = await store.GetRunAsync(runId, ct);
        if (run is not null && !o.Resume)
        {
            var done = (await store.CheckpointsAsync(runId, ct)).Count;
            throw MessageException.Invalid($"a migration of '{o.Table}' from {source.Display} ({runId}) already {(run.FinishedMs is null ? "started" : "finished")}, {done} ranges committed; pass --resume to continue it");
        }

        var published = await MigrationMappings.EnsureAsync(source, o, config, options.Tenant, ct);
        if (run is null)
        {
            var (lo, hi) = await BoundsAsync(source, o, ct);
            run = new MigrationRun(runId, source.Display + " " + o.Table, lo, hi, o.RangeSize, options.Time.GetUtcNow().ToUnixTimeMilliseconds(), null);
            await store.SaveRunAsync(run, ct);
        }

        var ranges = run.Hi < run.Lo ? 0 : (int)((run.Hi - run.Lo) / run.RangeSize) + 1;
        var before = (await store.CheckpointsAsync(runId, ct)).Select(c => c.K).ToHashSet();
        var todo = new Queue<long>(Enumerable.Range(0, ranges).Select(k => (long)k).Where(k => !before.Contains(k)));
        var sw = Stopwatch.StartNew();
        var moved = await MoveAsync(source, o, run, todo, before.Count, ranges, progress, sw, ct);
        var elapsed = sw.Elapsed;
        await store.FinishRunAsync(runId, options.Time.GetUtcNow().ToUnixTimeMilliseconds(), ct);

        sw.Restart();
        var report = await new Verifier(store, mappings).VerifyAsync(source, o, run, ct);
        return report with
        {
            MappingsPublished = published,
            Ranges = ranges,
            RangesResumed = before.Count,
            RowsMoved = moved,
            Elapsed = elapsed,
            VerifyElapsed = sw.Elapsed,
        };
    }

    private async Task<long> MoveAsync(LegacySource source, MigrationOptions o, MigrationRun run, Queue<long> todo, int doneBefore, int ranges, IProgress<MigrationProgress>? progress, Stopwatch sw, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(Math.Max(2, o.Workers)) { SingleWriter = false });
        long rows = 0, messages = 0, writes = 0;
        var done = doneBefore;
        var startedAt = todo.Count;
        var receivedNow = options.Time.GetUtcNow().ToUnixTimeMilliseconds();


        async ValueTask<LegacyMapper> MapperAsync(Dictionary<(string, string), LegacyMapper> mappers, string partner, string type)
        {
            if (!mappers.TryGetValue((partner, type), out var mapper))
            {
                // Note that documents are stored as bytes (as written), so the original may be the document, compressed by the worker.
                mapper = new LegacyMapper(await mappings.CurrentAsync(partner, type, cts.Token), true, true);
                mappers[(partner, type)] = mapper;
            }

            return mapper;
        }

        async Task<(List<NewMessage>, RangeCounts)> ReadFastAsync(SqliteRangeReader reader, Utf8Rows m, long lo, Dictionary<(string, string), LegacyMapper> mappers)
        {
            for (var byIndex = false; ; byIndex = true)
            {
                var counts = new RangeCounts();
                var list = new List<NewMessage>(o.RangeSize);
                reader.Begin(lo, lo + run.RangeSize, byIndex);
                RangeStep step;
                while ((step = reader.Next(m)) == RangeStep.Message)
                {
                    var type = o.TypeColumn is null ? o.Type : m.Type ?? "";
                    var mapper = await MapperAsync(mappers, m.Partner, type);
                    list.Add(mapper.Build(m.Partner, type, m.Id.ToString(CultureInfo.InvariantCulture), LegacyReader.TimeMs(m.Time) ?? receivedNow, m, counts, run.Run));
                }

                if (step == RangeStep.End)
                {
                    return (list, counts);
                }
            }
        }

        async Task<(List<NewMessage>, RangeCounts)> ReadSlowAsync(LegacyReader reader, long lo, Dictionary<(string, string), LegacyMapper> mappers)
        {
            var counts = new RangeCounts();
            var list = new List<NewMessage>(o.RangeSize);
            var pending = new List<LegacyMessage>();
            await reader.ReadAsync(lo, lo + run.RangeSize, m =>
            {
                var copy = new LegacyMessage { Id = m.Id, Partner = m.Partner, Type = m.Type, Time = m.Time };
                copy.Rows.AddRange(m.Rows);
                pending.Add(copy);
            }, cts.Token);
            foreach (var m in pending)
            {
                var type = o.TypeColumn is null ? o.Type : m.Type ?? "";
                var mapper = await MapperAsync(mappers, m.Partner, type);
                list.Add(mapper.Build(m.Partner, type, m.Id.ToString(CultureInfo.InvariantCulture), LegacyReader.TimeMs(m.Time) ?? receivedNow, m.Rows, counts, run.Run));
            }

            return (list, counts);
        }

        async Task ReadAsync()
        {
            using var fast = source.SqlitePath is { } path ? SqliteRangeReader.TryOpen(path, o) : null;
            await using var c = fast is null ? await source.OpenAsync(cts.Token) : null;
            await using var reader = c is null ? null : new LegacyReader(c, o);
            var rows = new Utf8Rows();
            var mappers = new Dictionary<(string, string), LegacyMapper>();
            while (true)
            {
                long k;
                lock (todo)
                {
                    if (!todo.TryDequeue(out k))
                    {
                        return;
                    }
                }

                // Note that each range looks the mapping up afresh, so a publish during a long migration takes effect.
                mappers.Clear();
                var lo = run.Lo + (k * run.RangeSize);
                var (list, counts) = fast is null ? await ReadSlowAsync(reader!, lo, mappers) : await ReadFastAsync(fast, rows, lo, mappers);
                await channel.Writer.WriteAsync(new Batch(k, list, counts), cts.Token);
            }
        }

        async Task WriteAsync()
        {
            await foreach (var b in channel.Reader.ReadAllAsync(cts.Token))
            {
                var n = Interlocked.Increment(ref writes);
                Func<Task>? midway = n == o.HangAtWrite ? () => HangAsync(o, b.K, cts.Token) : null;
                var c = b.Counts;
                await store.WriteRangeAsync(new RangeCheckpoint(run.Run, b.K, c.Rows, c.Messages, 0, c.Unmapped, c.Unconverted, c.MissingRequired, c.Filled), b.Messages, midway, cts.Token);
                var r = Interlocked.Add(ref rows, c.Rows);
                var m = Interlocked.Add(ref messages, c.Messages);
                var d = Interlocked.Increment(ref done);
                if (progress is not null)
                {
                    var secs = sw.Elapsed.TotalSeconds;
                    var thisRun = d - doneBefore;
                    TimeSpan? eta = thisRun > 0 && secs > 0 ? TimeSpan.FromSeconds(secs / thisRun * (ranges - d)) : null;
                    progress.Report(new MigrationProgress(r, m, d, ranges, secs > 0 ? r / secs : 0, eta));
                }
            }
        }

        // Note that SQLite serializes writers anyway: one writer there; PostgreSQL takes several COPY streams.
        var writers = store.Flavor == SqlFlavor.Postgres ? Math.Min(o.Workers, 4) : 1;
        var readers = Enumerable.Range(0, Math.Min(o.Workers, Math.Max(1, startedAt))).Select(_ => Task.Run(ReadAsync, cts.Token)).ToArray();
        var writing = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync, cts.Token)).ToArray();
        try
        {
            try
            {
                await Task.WhenAll(readers);
            }
            finally
            {
                channel.Writer.TryComplete();
            }

            await Task.WhenAll(writing);
        }
        catch
        {
            await cts.CancelAsync();
            channel.Writer.TryComplete();
            await Task.WhenAll(readers.Concat(writing).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            var first = readers.Concat(writing).FirstOrDefault(t => t.IsFaulted && t.Exception!.InnerException is not OperationCanceledException);
            if (first is not null)
            {
                throw first.Exception!.InnerException!;
            }

            throw;
        }

        return rows;
    }

    private static async Task HangAsync(MigrationOptions o, long k, CancellationToken ct)
    {
        o.Drill?.Invoke($"crash drill: hanging halfway through range {k}");
        await Task.Delay(Timeout.Infinite, ct);
    }

    private static async Task<(long Lo, long Hi)> BoundsAsync(LegacySource source, MigrationOptions o, CancellationToken ct)
    {
        await using var c = await source.OpenAsync(ct);
        var id = EngineStorage.Quote(o.IdColumn);
        await using var cmd = EngineStorage.Command(c, null, $"SELECT min({id}), max({id}) FROM {EngineStorage.Quote(o.Table)}");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return r.IsDBNull(0) ? (1, 0) : (LegacySource.ToLong(r.GetValue(0)), LegacySource.ToLong(r.GetValue(1)));
    }

    private static string RunId(string source, MigrationOptions o)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + o.Table + "\n" + o.IdColumn));
        return "m" + Convert.ToHexStringLower(hash)[..15];
    }

    private static void Check(MigrationOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Workers is < 1 or > 64)
        {
            throw MessageException.Invalid("--workers must be 1–64");
        }

        if (o.RangeSize is < 1 or > 1_000_000)
        {
            throw MessageException.Invalid("--range-size must be 1–1,000,000");
        }

        if (o.SampleSize is < 0 or > 100_000)
        {
            throw MessageException.Invalid("the sample size must be 0–100,000");
        }

        if (o.Keys.Count > MessageMapping.MaxKeys)
        {
            throw MessageException.Invalid($"at most {MessageMapping.MaxKeys} business keys");
        }

        if (o.TypeColumn is null)
        {
            MessageNames.Check(o.Type, "type");
        }

        if (string.IsNullOrWhiteSpace(o.Table))
        {
            throw MessageException.Invalid("--table is required");
        }
    }
}
