namespace Grove.Queues.Internal;

/// <summary>
/// Group commit for one kind of operation on one Redis queue: a call made while an earlier run is in flight waits and
/// goes with the others that waited in the next run (one script, one round trip), up to <paramref name="max"/> a run.
/// A call made while none is in flight runs at once, so a lone caller waits for nothing.
/// </summary>
/// <remarks>
/// Note that this is what lets concurrent consumers beat the cost of a script per message: on a private redis-server a
/// request costs the server about 12 µs and a script about 6 µs before any command it runs (docs/benchmarks.md,
/// "Queues on Redis: concurrent operations in one script"), so eight acks in one run pay that once.
/// </remarks>
/// <param name="run">Runs a batch in order: one result per input, in the same order.</param>
/// <param name="max">The most inputs one run takes.</param>
internal sealed class RedisBatcher<TIn, TOut>(Func<IReadOnlyList<TIn>, Task<TOut[]>> run, int max = 64)
{
    private readonly Lock _gate = new();
    private readonly List<(TIn Input, TaskCompletionSource<TOut> Done)> _waiting = [];
    private bool _running;

    /// <summary>Runs <paramref name="input"/> in the next run (at once when none is in flight).</summary>
    public Task<TOut> RunAsync(TIn input)
    {
        // Note that a caller's code after the await must not hold up the others of its run: it resumes on the thread
        // pool, as it would after a call of its own.
        var done = new TaskCompletionSource<TOut>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting.Add((input, done));
            if (_running)
            {
                return done.Task;
            }

            _running = true;
        }

        _ = DrainAsync();
        return done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            (TIn Input, TaskCompletionSource<TOut> Done)[] batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return;
                }

                var take = Math.Min(_waiting.Count, max);
                batch = [.. _waiting.GetRange(0, take)];
                _waiting.RemoveRange(0, take);
            }

            TOut[] results;
            try
            {
                results = await run(Array.ConvertAll(batch, b => b.Input));
            }
            catch (Exception e)
            {
                foreach (var b in batch)
                {
                    b.Done.TrySetException(e);
                }

                continue;
            }

            for (var i = 0; i < batch.Length; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
    }
}
