using Grove.Client.Internal;
using Grove.Logs;

namespace Grove.Client;

/// <summary>
/// Streams an application's output into a task log on a Grove server. <see cref="Write(string)"/> queues lines in
/// memory and returns at once; a background sender sends them in batches (by count, by bytes — at most 1 MiB — and
/// by time — at most 1 s), Brotli-compressed, one batch at a time, retrying failures with exponential backoff and
/// jitter. Every line carries its task-relative number, so a retried batch is applied once and a gap is refused by
/// the server, which says where to resend from. When the queue is full the writer waits or the line is dropped and
/// counted in a marker line (<see cref="GroveLogReporterOptions.QueueFull"/>); with a
/// <see cref="GroveLogReporterOptions.SpillDirectory"/> the overflow goes to disk instead, so a server outage of
/// minutes loses nothing. Disposing flushes. No method but the factories throws into the application: failures show
/// in <see cref="Stats"/>.
/// </summary>
/// <example>
/// <code>
/// await using var log = await GroveLogReporter.StartAsync(grove, "nightly build");
/// log.Write("restoring packages…");
/// await log.FinishAsync(GroveLogStatus.Succeeded, 0);
/// </code>
/// </example>
public sealed partial class GroveLogReporter : IAsyncDisposable, IDisposable
{
    private const int MaxBatchBytesCap = 1 << 20;
    private static readonly TimeSpan MaxBatchDelayCap = TimeSpan.FromSeconds(1);

    private readonly GroveClient _client;
    private readonly GroveLogReporterOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sender;

    /// <summary>
    /// A reporter for an existing task whose next line is <paramref name="nextLine"/> (0 for a new task). Prefer
    /// <see cref="StartAsync"/> (creates the task) or <see cref="AttachAsync"/> (asks the server for the next line).
    /// </summary>
    public GroveLogReporter(GroveClient client, string taskId, long nextLine = 0, GroveLogReporterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentOutOfRangeException.ThrowIfNegative(nextLine);
        _client = client;
        _options = Validate(options ?? new GroveLogReporterOptions());
        _time = _options.Time;
        TaskId = taskId;
        _next = nextLine;
        _acked = nextLine;
        _lastContact = _time.GetTimestamp();
        _sender = Task.Run(RunAsync);
    }

    /// <summary>True on the reporter's own sender (its HTTP calls): a logger must not feed those calls' logs back in.</summary>
    internal static bool IsSenderContext => InSender.Value;

    /// <summary>The task this reporter writes to.</summary>
    public string TaskId { get; }

    /// <summary>Creates a running task named <paramref name="name"/> and returns a reporter writing to it.</summary>
    public static async Task<GroveLogReporter> StartAsync(GroveClient client, string name, GroveLogReporterOptions? options = null,
        IReadOnlyList<string>? labels = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var task = await client.CreateLogTaskAsync(name, labels, ct);
        return new GroveLogReporter(client, task.Id, 0, options);
    }

    /// <summary>A reporter continuing a running task after its last stored line.</summary>
    public static async Task<GroveLogReporter> AttachAsync(GroveClient client, string taskId, GroveLogReporterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var task = await client.GetLogTaskAsync(taskId, ct);
        return new GroveLogReporter(client, task.Id, task.Lines, options);
    }

    /// <summary>
    /// Queues text stamped now: each line of it (split on <c>\n</c>, a trailing <c>\r</c> dropped) becomes one log line.
    /// Returns at once unless the queue is full under <see cref="GroveLogQueueFullPolicy.Wait"/>. Never throws.
    /// </summary>
    public void Write(string text) => Write(text, _time.GetUtcNow());

    /// <summary>Queues text with its own time stamp (see <see cref="Write(string)"/>).</summary>
    public void Write(string text, DateTimeOffset timestamp) => Enqueue(text ?? "", timestamp.ToUnixTimeMilliseconds());

    /// <summary>
    /// Waits until every line written before the call is acknowledged by the server. True when they are; false when the
    /// reporter stopped (the server refused the task) or was disposed first. Throws only when <paramref name="ct"/> is cancelled.
    /// </summary>
    public Task<bool> FlushAsync(CancellationToken ct = default) => FlushCoreAsync(ct);

    /// <summary>
    /// Flushes, then finishes the task with <paramref name="status"/> and <paramref name="exitCode"/> (retrying
    /// transient failures). True when the server recorded the finish; false when it could not (see <see cref="Stats"/>).
    /// Lines written after this are dropped.
    /// </summary>
    public async Task<bool> FinishAsync(GroveLogStatus status, int? exitCode = null, CancellationToken ct = default)
    {
        var flushed = await FlushCoreAsync(ct);
        Close();
        if (!flushed && Stats.Stopped)
        {
            return false;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _client.FinishLogTaskAsync(TaskId, status, exitCode, ct);
                return true;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && IsTransient(e) && attempt < 8)
            {
                Note(e, retry: true);
                await Task.Delay(Backoff(attempt, (e as GroveApiException)?.RetryAfter), _time, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is GroveApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                Note(e, retry: false);
                return false;
            }
        }
    }

    /// <summary>What the reporter has done so far.</summary>
    public GroveLogReporterStats Stats
    {
        get
        {
            lock (_gate)
            {
                return new GroveLogReporterStats
                {
                    Written = _written,
                    Acknowledged = _acked,
                    Dropped = _dropped,
                    Lost = _lost,
                    Batches = _batches,
                    Retries = _retries,
                    SpilledBytes = _spill?.Length ?? 0,
                    LastError = _lastError,
                    Stopped = _stopped,
                };
            }
        }
    }

    /// <summary>Flushes (for at most <see cref="GroveLogReporterOptions.DisposeTimeout"/>) and stops the sender; lines not delivered by then are lost.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close();
        using (var timer = new CancellationTokenSource())
        {
            if (await Task.WhenAny(_sender, Task.Delay(_options.DisposeTimeout, _time, timer.Token)) != _sender)
            {
                await _stop.CancelAsync();
            }

            await timer.CancelAsync();
        }

        await _sender;
        lock (_gate)
        {
            LoseAllLocked("the reporter was disposed before the server took them");
            _spill?.Dispose();
        }

        _stop.Dispose();
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => Task.Run(() => DisposeAsync().AsTask()).GetAwaiter().GetResult();

    private static GroveLogReporterOptions Validate(GroveLogReporterOptions o)
    {
        if (o.MaxBatchBytes < 1 || o.MaxBatchLines < 1 || o.QueueBytes < 1 || o.MaxSpillBytes < 0
            || o.MaxBatchDelay < TimeSpan.Zero || o.RetryBaseDelay <= TimeSpan.Zero || o.RetryMaxDelay < o.RetryBaseDelay
            || o.SendTimeout <= TimeSpan.Zero || o.HeartbeatInterval <= TimeSpan.Zero || o.DisposeTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(o), "reporter options out of range: sizes must be positive and delays not negative");
        }

        // Note that the caps are the protocol's promise to the server: 1 MiB of text and 1 s of delay at most.
        return o with
        {
            MaxBatchBytes = Math.Min(o.MaxBatchBytes, MaxBatchBytesCap),
            MaxBatchDelay = o.MaxBatchDelay > MaxBatchDelayCap ? MaxBatchDelayCap : o.MaxBatchDelay,
        };
    }
}
