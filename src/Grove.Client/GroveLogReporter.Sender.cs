using Grove.Client.Internal;
using Grove.Logs;

namespace Grove.Client;

public sealed partial class GroveLogReporter
{
    private long _lastContact;

    /// <summary>The background sender: one batch at a time, oldest lines first, until closed and drained (or stopped).</summary>
    private async Task RunAsync()
    {
        InSender.Value = true;
        var attempt = 0;
        while (true)
        {
            ReporterChunk? chunk = null;
            Task? wake = null;
            var wait = Timeout.InfiniteTimeSpan;
            var heartbeat = false;
            lock (_gate)
            {
                var front = _chunks.First?.Value;
                if (_stopped || (_closed && front is null))
                {
                    CompleteFlushesLocked();
                    return;
                }

                if (front is null)
                {
                    var quiet = _time.GetElapsedTime(_lastContact);
                    heartbeat = quiet >= _options.HeartbeatInterval;
                    wait = _options.HeartbeatInterval - quiet;
                }
                else if (Ready(front, out var due))
                {
                    front.InFlight = true;
                    chunk = front;
                }
                else
                {
                    wait = due;
                }

                if (chunk is null && !heartbeat)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wake = _wake.Task;
                }
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (heartbeat)
            {
                await HeartbeatAsync();
                continue;
            }

            if (chunk is null)
            {
                await WaitAsync(wake!, wait);
                continue;
            }

            attempt = await SendAsync(chunk, attempt);
        }
    }

    /// <summary>Whether the front batch should go now; else how long until it should.</summary>
    private bool Ready(ReporterChunk front, out TimeSpan due)
    {
        due = Timeout.InfiniteTimeSpan;
        if (front.InFlight || front.Spilled || front.Count >= _options.MaxBatchLines || front.TextBytes >= _options.MaxBatchBytes
            || _chunks.Count > 1 || _closed || _flushTarget > front.First)
        {
            return true;
        }

        var age = _time.GetElapsedTime(front.Started);
        due = _options.MaxBatchDelay - age;
        return due <= TimeSpan.Zero;
    }

    /// <summary>Sends one batch and handles the answer; returns the retry count for the next round.</summary>
    private async Task<int> SendAsync(ReporterChunk chunk, int attempt)
    {
        try
        {
            var payload = chunk.Encoded ??= chunk.Lines is { } lines ? LogBatchCodec.Encode(lines) : _spill!.Read(chunk.SpillOffset, chunk.SpillLength);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_options.SendTimeout);
            var sending = _client.AppendLogBatchAsync(TaskId, payload, timeout.Token);
            // Note that the next batch is compressed while this one travels and the server stores it: one batch is
            // in flight at a time (the protocol), but the client's work overlaps the server's.
            PrepareNext(chunk);
            var result = await sending;
            lock (_gate)
            {
                _batches++;
                _lastError = null;
                _lastContact = _time.GetTimestamp();
                AcknowledgeLocked(Math.Max(result.Next, chunk.End));
            }

            return 0;
        }
        catch (GroveApiException e) when (e.Code == GroveErrorCode.Gap && e.Expected is { } expected)
        {
            Note(e, retry: true);
            lock (_gate)
            {
                ResendFromLocked(expected);
            }

            return 0;
        }
        catch (GroveApiException e) when (e.Code == GroveErrorCode.OverlapMismatch && e.Expected is { } expected)
        {
            Note(e, retry: false);
            lock (_gate)
            {
                chunk.InFlight = false;
                SkipToLocked(expected);
            }

            return 0;
        }
        catch (GroveApiException e) when (e.Code == GroveErrorCode.TooLarge && chunk.Count > 1)
        {
            Note(e, retry: true);
            lock (_gate)
            {
                Split(chunk);
            }

            return 0;
        }
        catch (Exception e) when (IsTransient(e) && !_stop.IsCancellationRequested)
        {
            Note(e, retry: true);
            try
            {
                await Task.Delay(Backoff(attempt + 1, (e as GroveApiException)?.RetryAfter), _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposal gave up waiting.
            }

            return attempt + 1;
        }
        catch (Exception e) when (e is GroveApiException or HttpRequestException or IOException or OperationCanceledException or InvalidDataException)
        {
            // Refused for good (finished, deleted, forbidden…) or stopped by disposal: nothing more can be sent.
            Note(e, retry: false);
            lock (_gate)
            {
                _stopped = true;
                LoseAllLocked(_lastError ?? "stopped");
            }

            return 0;
        }
    }

    /// <summary>Encodes the batch after <paramref name="current"/> if it is complete (nothing more will be added to it).</summary>
    private void PrepareNext(ReporterChunk current)
    {
        List<LogLine> lines;
        ReporterChunk next;
        lock (_gate)
        {
            var node = _chunks.Find(current)?.Next;
            if (node is null || node.Value is not { Spilled: false, Encoded: null, Lines: { } l } candidate
                || !(candidate.Count >= _options.MaxBatchLines || candidate.TextBytes >= _options.MaxBatchBytes || node.Next is not null))
            {
                return;
            }

            next = candidate;
            lines = l;
            next.InFlight = true;
        }

        next.Encoded = LogBatchCodec.Encode(lines);
    }

    /// <summary>Halves a batch the server found too large (a server with lower limits than ours).</summary>
    private void Split(ReporterChunk chunk)
    {
        var lines = LinesOf(chunk);
        _chunks.RemoveFirst();
        ReleaseLocked(chunk);
        var half = lines.Count / 2;
        lines = [.. lines];
        RecycleLocked(chunk);
        foreach (var part in new[] { lines[half..], lines[..half] })
        {
            var piece = MemoryChunk(part);
            _chunks.AddFirst(piece);
            _memoryBytes += piece.TextBytes;
        }
    }

    private async Task HeartbeatAsync()
    {
        try
        {
            await _client.HeartbeatLogTaskAsync(TaskId, _stop.Token);
        }
        catch (Exception e) when (e is GroveApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            Note(e, retry: false);
        }

        lock (_gate)
        {
            _lastContact = _time.GetTimestamp();
        }
    }

    private async Task WaitAsync(Task wake, TimeSpan wait)
    {
        if (wait == Timeout.InfiniteTimeSpan)
        {
            await wake.WaitAsync(_stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        await Task.WhenAny(wake, Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, _time, cancel.Token));
        await cancel.CancelAsync();
    }

    /// <summary>Exponential backoff with full jitter, never below the server's Retry-After.</summary>
    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var cap = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        var delay = TimeSpan.FromMilliseconds((0.5 + (Random.Shared.NextDouble() / 2)) * cap);
        return retryAfter is { } r && r > delay ? (r > _options.RetryMaxDelay * 6 ? _options.RetryMaxDelay * 6 : r) : delay;
    }

    private bool IsTransient(Exception e) => e switch
    {
        GroveApiException a => a.Status is >= 500 or 408 or 429,
        HttpRequestException or IOException => true,
        OperationCanceledException => !_stop.IsCancellationRequested,
        _ => false,
    };
}
