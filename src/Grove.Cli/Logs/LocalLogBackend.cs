using System.Runtime.CompilerServices;
using Grove.Cli.Backend;
using Grove.Client;
using Grove.Logs;
using Grove.Tree;

namespace Grove.Cli.Logs;

/// <summary>
/// Task logs in the local data folder through the engine (no server). The folder is locked while the command runs;
/// a finished task is archived before the command returns, since no background worker outlives it.
/// </summary>
internal sealed class LocalLogBackend : ILogBackend
{
    private readonly TreeService _tree;
    private readonly LogService _logs;

    private LocalLogBackend(TreeService tree, LogService logs)
    {
        _tree = tree;
        _logs = logs;
    }

    public static async Task<LocalLogBackend> OpenAsync(BackendSettings settings, CancellationToken ct)
    {
        var tree = await TreeService.OpenAsync(settings.TreeOptions, ct);
        try
        {
            return new LocalLogBackend(tree, await LogService.OpenAsync(tree, new LogOptions { Background = false }, ct));
        }
        catch
        {
            await tree.DisposeAsync();
            throw;
        }
    }

    public async Task<GroveLogTask> CreateAsync(string name, IReadOnlyList<string> labels, CancellationToken ct) =>
        Map(await _logs.CreateAsync(name, labels, ct));

    public async Task<GrovePage<GroveLogTask>> ListAsync(GroveLogTaskQuery query, CancellationToken ct)
    {
        var page = await _logs.ListAsync(new LogTaskQuery
        {
            Status = query.Status is { } s ? (LogTaskStatus)(int)s : null,
            Name = query.Name,
            Labels = query.Labels.Count > 0 ? query.Labels : null,
            Limit = query.Limit ?? 100,
            After = query.After,
        }, ct);
        return new GrovePage<GroveLogTask>([.. page.Items.Select(Map)], page.Next);
    }

    public async Task<GroveLogTask> GetAsync(string id, CancellationToken ct) => Map(await _logs.GetAsync(id, ct));

    public async Task<GroveLogPage> ReadAsync(string id, long from, int? limit, CancellationToken ct) => Map(await _logs.ReadAsync(id, from, limit, ct));

    public async Task<GroveLogPage> TailAsync(string id, int lines, CancellationToken ct) => Map(await _logs.TailAsync(id, lines, ct));

    public IAsyncEnumerable<LogLine> FollowAsync(string id, long from, CancellationToken ct) => _logs.FollowAsync(id, from, ct);

    public IAsyncEnumerable<LogLine> SearchAsync(string id, GroveLogSearch search, CancellationToken ct) => _logs.SearchAsync(id, new LogSearch
    {
        Pattern = search.Pattern,
        Regex = search.Regex,
        IgnoreCase = search.IgnoreCase,
        From = search.From,
        MaxMatches = search.MaxMatches ?? 1000,
    }, ct);

    public Task DownloadAsync(string id, Stream output, GroveLogTextOptions options, CancellationToken ct) =>
        _logs.WriteTextAsync(id, output, new LogTextOptions { Timestamps = options.Timestamps, From = options.From, To = options.To }, ct);

    public Task DeleteAsync(string id, CancellationToken ct) => _logs.DeleteAsync(id, ct);

    public ITaskLogWriter OpenWriter(string id) => new LocalLogWriter(_logs, id);

    public async ValueTask DisposeAsync()
    {
        await _logs.DisposeAsync();
        await _tree.DisposeAsync();
    }

    private static GroveLogTask Map(LogTask t) => new()
    {
        Id = t.Id,
        Name = t.Name,
        Owner = t.Owner,
        Labels = t.Labels,
        Status = (GroveLogStatus)(int)t.Status,
        ExitCode = t.ExitCode,
        Created = DateTimeOffset.FromUnixTimeMilliseconds(t.Created),
        Finished = t.Finished is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
        Lines = t.Lines,
        Bytes = t.Bytes,
        Truncated = t.Truncated,
        Archived = t.Storage == LogStorage.Archived,
        Path = t.Path,
    };

    private static GroveLogPage Map(LogPage p) => new(p.Lines, p.From, p.Next, p.Total, p.Finished, p.Storage == LogStorage.Archived);
}
