using Grove.Client;
using Grove.Logs;

namespace Grove.Cli.Logs;

/// <summary>Task logs on a Grove server, through <see cref="GroveClient"/> and <see cref="GroveLogReporter"/>.</summary>
internal sealed class RemoteLogBackend(GroveClient client) : ILogBackend
{
    public Task<GroveLogTask> CreateAsync(string name, IReadOnlyList<string> labels, CancellationToken ct) => client.CreateLogTaskAsync(name, labels, ct);

    public Task<GrovePage<GroveLogTask>> ListAsync(GroveLogTaskQuery query, CancellationToken ct) => client.ListLogTasksAsync(query, ct);

    public Task<GroveLogTask> GetAsync(string id, CancellationToken ct) => client.GetLogTaskAsync(id, ct);

    public Task<GroveLogPage> ReadAsync(string id, long from, int? limit, CancellationToken ct) => client.ReadLogAsync(id, from, limit, ct);

    public Task<GroveLogPage> TailAsync(string id, int lines, CancellationToken ct) => client.TailLogAsync(id, lines, ct);

    public IAsyncEnumerable<LogLine> FollowAsync(string id, long from, CancellationToken ct) => client.FollowLogAsync(id, from, ct);

    public IAsyncEnumerable<LogLine> SearchAsync(string id, GroveLogSearch search, CancellationToken ct) => client.SearchLogAsync(id, search, ct);

    public Task DownloadAsync(string id, Stream output, GroveLogTextOptions options, CancellationToken ct) => client.DownloadLogAsync(id, output, options, ct);

    public Task DeleteAsync(string id, CancellationToken ct) => client.DeleteLogTaskAsync(id, ct);

    public ITaskLogWriter OpenWriter(string id) => new ReporterWriter(new GroveLogReporter(client, id, 0, new GroveLogReporterOptions
    {
        // Note that a command's output must not be lost: the writer waits when the queue is full, and an outage
        // spills to the temp folder instead of blocking the command.
        QueueFull = GroveLogQueueFullPolicy.Wait,
        SpillDirectory = Path.Join(Path.GetTempPath(), "grove-log-spill"),
        DisposeTimeout = TimeSpan.FromMinutes(2),
    }));

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class ReporterWriter(GroveLogReporter reporter) : ITaskLogWriter
    {
        public void Write(string line) => reporter.Write(line);

        public async Task<bool> FinishAsync(GroveLogStatus status, int? exitCode, TextWriter error, CancellationToken ct)
        {
            var done = await reporter.FinishAsync(status, exitCode, ct);
            var stats = reporter.Stats;
            if (stats.Lost > 0 || stats.Dropped > 0)
            {
                await error.WriteLineAsync($"grove: {stats.Lost + stats.Dropped} lines did not reach the server: {stats.LastError}");
            }
            else if (!done)
            {
                await error.WriteLineAsync($"grove: the task could not be finished: {stats.LastError}");
            }

            return done && stats.Lost == 0;
        }

        public ValueTask DisposeAsync() => reporter.DisposeAsync();
    }
}
