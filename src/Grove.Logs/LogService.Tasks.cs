using System.Text.Json;
using Grove.Logs.Internal;
using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Logs;

public sealed partial class LogService
{
    private const int MaxNameLength = 200;
    private const int MaxListPage = 1000;

    /// <summary>Creates a running task with a name (1 to 200 characters, no control characters) and optional labels.</summary>
    public Task<LogTask> CreateAsync(string name, IReadOnlyList<string>? labels = null, CancellationToken ct = default) =>
        CreateAsync(name, new LogCreateOptions { Labels = labels }, ct);

    /// <summary>
    /// Creates a running task with a name (1 to 200 characters, no control characters), labels, and the owner and mode
    /// of its tree object (the server stamps the caller; the day folders above stay the engine's).
    /// </summary>
    public async Task<LogTask> CreateAsync(string name, LogCreateOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var labels = options.Labels;
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw LogException.Argument($"a task name is 1 to {MaxNameLength} characters without control characters");
        }

        if (labels is not null && (labels.Count > 32 || labels.Any(l => string.IsNullOrWhiteSpace(l) || l.Length > 64 || l.Any(char.IsControl))))
        {
            throw LogException.Argument("at most 32 labels of 1 to 64 characters without control characters");
        }

        var now = Now;
        var id = TaskIds.New(now);
        var path = TaskIds.PathOf(_root, id);
        var meta = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            [Catalog.Name] = JsonValues.FromPlain(name),
            [Catalog.Status] = JsonValues.FromPlain(Catalog.StatusName(LogTaskStatus.Running)),
            [Catalog.State] = JsonValues.FromPlain(Catalog.Live),
        };
        if (options.Owner is not null)
        {
            // Note that a creator given to the file would also own the folders that Parents creates: make them first.
            await _tree.CreateAsync(path[..path.LastIndexOf('/')], ObjectRace.Dir, new CreateOptions { Parents = true, ExistOk = true }, ct);
        }

        var obj = await _tree.CreateAsync(path, ObjectRace.File, new CreateOptions
        {
            Parents = options.Owner is null,
            Labels = labels,
            Meta = meta,
            Mime = Catalog.Mime,
            User = options.Owner,
            Mode = options.Mode,
        }, ct);
        await _live.CreateAsync(id, now, ct);
        return Catalog.ToTask(obj, await _live.GetStateAsync(id, ct));
    }

    /// <summary>The task with its current line count and state; <c>not_found</c> when there is none.</summary>
    public async Task<LogTask> GetAsync(string taskId, CancellationToken ct = default)
    {
        var obj = await RequireObjectAsync(taskId, ct);
        return Catalog.ToTask(obj, await _live.GetStateAsync(taskId, ct));
    }

    /// <summary>Records that a running task is alive (it resets the idle timeout); <c>finished</c> when it is not running.</summary>
    public async Task HeartbeatAsync(string taskId, CancellationToken ct = default)
    {
        RequireId(taskId);
        if (!await _live.TouchAsync(taskId, Now, ct))
        {
            await EnsureLiveAsync(taskId, ct);
            await _live.TouchAsync(taskId, Now, ct);
        }
    }

    /// <summary>
    /// Finishes a task with a status (not <see cref="LogTaskStatus.Running"/>) and an optional exit code: no line is
    /// accepted after, and its log is queued for archiving. Repeating the same finish returns the task; a different
    /// one fails with <c>finished</c>.
    /// </summary>
    public async Task<LogTask> FinishAsync(string taskId, LogTaskStatus status, int? exitCode = null, CancellationToken ct = default)
    {
        if (status == LogTaskStatus.Running || !Enum.IsDefined(status))
        {
            throw LogException.Argument("finish with succeeded, failed, canceled or abandoned");
        }

        RequireId(taskId);
        LiveState? state;
        try
        {
            state = await _live.SealAsync(taskId, status, exitCode, Now, ct);
            if (state is null)
            {
                await EnsureLiveAsync(taskId, ct);
                state = await _live.SealAsync(taskId, status, exitCode, Now, ct);
            }
        }
        catch (Exception e) when (e is LogException { Code: LogErrorCode.Finished } or LiveTaskGoneException)
        {
            // Note that a repeated finish (a retried request) may come after the archiver took the task out of the live
            // store: the catalog still says how it ended.
            var task = await GetAsync(taskId, ct);
            if (task.Status == status && task.ExitCode == exitCode)
            {
                return task;
            }

            throw LogException.Finished(taskId);
        }

        var path = TaskIds.PathOf(_root, taskId);
        var obj = await _tree.SetMetaAsync(path, Catalog.Finished(state!), ct: ct);
        _archiver.Enqueue(taskId);
        return Catalog.ToTask(obj, state);
    }

    /// <summary>Deletes a task, its live lines and its archive.</summary>
    public async Task DeleteAsync(string taskId, CancellationToken ct = default)
    {
        await RequireObjectAsync(taskId, ct);
        await _live.DeleteAsync(taskId, ct);
        try
        {
            await _tree.DeleteAsync(TaskIds.PathOf(_root, taskId), ct: ct);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
        {
            // Deleted meanwhile.
        }

        _signals.Pulse(taskId);
    }

    /// <summary>Tasks newest first, filtered by status, name and labels, one keyset page at a time.</summary>
    public async Task<LogTaskPage> ListAsync(LogTaskQuery? query = null, CancellationToken ct = default)
    {
        query ??= new LogTaskQuery();
        if (query.Limit is < 1 or > MaxListPage)
        {
            throw LogException.Argument($"limit must be 1 to {MaxListPage}");
        }

        var filters = new List<Filter> { new ExistsFilter(Catalog.Status, true) };
        if (query.Status is { } status)
        {
            filters.Add(Filter.Eq(Catalog.Status, Catalog.StatusName(status)));
        }

        if (!string.IsNullOrEmpty(query.Name))
        {
            var literal = query.Name.Replace('*', '?');
            filters.Add(new MatchFilter(Catalog.Name, MatchKind.Wildcard, "*" + literal + "*"));
        }

        if (query.Labels is { Count: > 0 } labels)
        {
            filters.Add(new LabelsFilter(labels));
        }

        Page<TreeObject> page;
        try
        {
            page = await _tree.QueryAsync(new TreeQuery
            {
                Filter = Filter.And([.. filters]),
                // Note that tasks made in one millisecond share ct: their ids (monotonic ULIDs) keep them in order.
                Sort = [new SortKey("ct", Descending: true), new SortKey("nm", Descending: true)],
                Limit = query.Limit,
                After = query.After,
            }, ct);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.InvalidFilter)
        {
            throw LogException.Argument("bad task query: " + e.Message);
        }

        var running = page.Items.Where(o => !Catalog.IsArchived(o)).Select(Catalog.IdOf).ToList();
        var states = running.Count > 0 ? await _live.GetStatesAsync(running, ct) : new Dictionary<string, LiveState>();
        return new LogTaskPage([.. page.Items.Select(o => Catalog.ToTask(o, states.GetValueOrDefault(Catalog.IdOf(o))))], page.Next);
    }

    /// <summary>The tree path of a task's object (computed from the id alone), or null when the id is not a task id.</summary>
    public string? PathOf(string taskId) => TaskIds.IsValid(taskId) ? TaskIds.PathOf(_root, taskId) : null;

    private static void RequireId(string taskId)
    {
        if (!TaskIds.IsValid(taskId))
        {
            throw LogException.NotFound(taskId ?? "");
        }
    }

    private async Task<TreeObject?> FindObjectAsync(string taskId, CancellationToken ct)
    {
        RequireId(taskId);
        return await _tree.FindAsync(TaskIds.PathOf(_root, taskId), ct);
    }

    private async Task<TreeObject> RequireObjectAsync(string taskId, CancellationToken ct) =>
        await FindObjectAsync(taskId, ct) ?? throw LogException.NotFound(taskId);

    /// <summary>
    /// For a task the catalog says is running but the live store does not hold (a crash between the two creates),
    /// creates its live state; otherwise fails with <c>not_found</c> or <c>finished</c>.
    /// </summary>
    private async Task EnsureLiveAsync(string taskId, CancellationToken ct)
    {
        var obj = await RequireObjectAsync(taskId, ct);
        if (Catalog.IsArchived(obj) || Catalog.ParseStatus(Catalog.Text(obj, Catalog.Status)) != LogTaskStatus.Running)
        {
            throw LogException.Finished(taskId);
        }

        await _live.CreateAsync(taskId, Now, ct);
    }
}
