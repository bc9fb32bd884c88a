using Grove.Client;
using Grove.Logs;

namespace Grove.Cli.Logs;

/// <summary>
/// The task-log operations of the <c>grove logs</c> verbs: a server's HTTP API (<see cref="RemoteLogBackend"/>) or the
/// log engine over the local data folder (<see cref="LocalLogBackend"/>). Both speak the client's types.
/// </summary>
internal interface ILogBackend : IAsyncDisposable
{
    Task<GroveLogTask> CreateAsync(string name, IReadOnlyList<string> labels, CancellationToken ct);

    Task<GrovePage<GroveLogTask>> ListAsync(GroveLogTaskQuery query, CancellationToken ct);

    Task<GroveLogTask> GetAsync(string id, CancellationToken ct);

    Task<GroveLogPage> ReadAsync(string id, long from, int? limit, CancellationToken ct);

    Task<GroveLogPage> TailAsync(string id, int lines, CancellationToken ct);

    IAsyncEnumerable<LogLine> FollowAsync(string id, long from, CancellationToken ct);

    IAsyncEnumerable<LogLine> SearchAsync(string id, GroveLogSearch search, CancellationToken ct);

    Task DownloadAsync(string id, Stream output, GroveLogTextOptions options, CancellationToken ct);

    Task DeleteAsync(string id, CancellationToken ct);

    /// <summary>A writer of new lines into a running task (batched; numbered from the task's next line).</summary>
    ITaskLogWriter OpenWriter(string id);
}

/// <summary>Lines into one task, batched in the background; finishing flushes them first.</summary>
internal interface ITaskLogWriter : IAsyncDisposable
{
    /// <summary>Queues one line (never throws).</summary>
    void Write(string line);

    /// <summary>Delivers what is queued and finishes the task; false when it could not (the reason goes to <paramref name="error"/>).</summary>
    Task<bool> FinishAsync(GroveLogStatus status, int? exitCode, TextWriter error, CancellationToken ct);
}
