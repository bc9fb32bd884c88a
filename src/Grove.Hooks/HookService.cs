using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Grove.Queues;
using Grove.Tree.Storage;

namespace Grove.Hooks;

/// <summary>
/// Hooks on the tree's committed changes (the seed's WnIoHookedWrapper). Each hook follows the change feed under its
/// path from its own durable revision, so it fires after commit only (a rolled-back change is never in the feed),
/// delivers at least once and in revision order (a failing event is retried with back-off before any later one),
/// and shows its last error. One node delivers at a time (a lease). Webhooks are POSTed the change's JSON, signed
/// with HMAC-SHA256 in <c>X-Grove-Signature: sha256=&lt;hex&gt;</c>.
/// </summary>
public sealed class HookService : IAsyncDisposable
{
    /// <summary>The header carrying the signature of the body.</summary>
    public const string SignatureHeader = "X-Grove-Signature";

    private readonly TreeService _tree;
    private readonly QueueService _queues;
    private readonly HookOptions _options;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private IDisposable? _subscription;
    private TaskCompletionSource _defined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Note that -1 means unknown: the loop reads the table. With 0 it sleeps until a hook is added (here or on another
    // node, through the bus) instead of waking on every commit of the tree.
    private int _count = -1;
    private int _disposed;

    private HookService(TreeService tree, QueueService queues, HookOptions options, HttpClient? http)
    {
        _tree = tree;
        _queues = queues;
        _options = options;
        _http = http ?? new HttpClient { Timeout = options.CallTimeout };
    }

    /// <summary>The bus topic on which a node says that hooks were added or removed.</summary>
    internal const string Topic = "hooks";

    private long Now => _tree.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates the hook table if needed and, with <see cref="HookOptions.Background"/>, starts delivering.</summary>
    public static async Task<HookService> OpenAsync(TreeService tree, QueueService queues, HookOptions? options = null, HttpClient? http = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(queues);
        await tree.Engines.MigrateAsync("hooks", [SchemaMigration.Sql(1, "hooks", """
            CREATE TABLE grove_hooks (id TEXT NOT NULL PRIMARY KEY, path TEXT NOT NULL, events TEXT NOT NULL, url TEXT, queue TEXT,
                secret TEXT NOT NULL, rev BIGINT NOT NULL, failures INTEGER NOT NULL, last_error TEXT, last_attempt BIGINT, next_at BIGINT NOT NULL)
            """)], ct);
        var service = new HookService(tree, queues, options ?? new HookOptions(), http);
        if (service._options.Background)
        {
            service._subscription = tree.Bus.Subscribe(Topic, _ => service.Changed(), includeOwn: true);
            service._loop = Task.Run(() => service.RunAsync(service._stop.Token), CancellationToken.None);
        }

        return service;
    }

    /// <summary>Adds a hook on <paramref name="path"/> for <paramref name="events"/>: a webhook to <paramref name="url"/> or a push into <paramref name="queue"/>.</summary>
    public async Task<HookCreated> AddAsync(string path, IReadOnlyCollection<ChangeKind> events, string? url, string? queue, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var norm = TreeNames.Normalize(path);
        if (events.Count == 0)
        {
            throw new HookException("invalid_argument", "a hook fires on at least one of create, write, meta, move, delete");
        }

        if ((url is null) == (queue is null))
        {
            throw new HookException("invalid_argument", "a hook has either a URL or a queue");
        }

        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
        {
            throw new HookException("invalid_argument", $"'{url}' is not an http or https URL");
        }

        var queuePath = queue is null ? null : (await _queues.RequireQueueAsync(queue, ct)).Path;
        var id = "h" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var rev = _tree.ChangeRevision;
        await using var c = await _tree.Engines.OpenConnectionAsync(ct);
        await ExecAsync(c, "INSERT INTO grove_hooks (id, path, events, url, queue, secret, rev, failures, next_at) VALUES (@i, @p, @e, @u, @q, @s, @r, 0, 0)", ct,
            ("i", id), ("p", norm), ("e", string.Join(',', events.Distinct().Select(ChangeJson.Name))), ("u", url), ("q", queuePath), ("s", secret), ("r", rev));
        await AnnounceAsync();
        return new HookCreated(new Hook(id, norm, events.ToHashSet(), url, queuePath, rev, 0, null, null), secret);
    }

    /// <summary>Every hook, with its progress and last error.</summary>
    public async Task<IReadOnlyList<Hook>> ListAsync(CancellationToken ct = default) => [.. (await ReadAsync(null, ct)).Select(h => h.Hook)];

    /// <summary>Removes a hook; <c>not_found</c> when there is none with this id.</summary>
    public async Task RemoveAsync(string id, CancellationToken ct = default)
    {
        await using var c = await _tree.Engines.OpenConnectionAsync(ct);
        if (await ExecAsync(c, "DELETE FROM grove_hooks WHERE id = @i", ct, ("i", id)) == 0)
        {
            throw new HookException("not_found", $"no hook {id}");
        }

        await AnnounceAsync();
    }

    private async Task AnnounceAsync()
    {
        Changed();
        try
        {
            await _tree.Bus.PublishAsync(Topic, "changed", CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            // Note that idle nodes also look at the table every minute: a lost message delays the first delivery only.
        }
    }

    private void Changed()
    {
        Volatile.Write(ref _count, -1);
        Interlocked.Exchange(ref _defined, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Sends a test event (kind <c>meta</c> on the hook's path, revision 0) now; returns the error, or null when delivered.</summary>
    public async Task<string?> TestAsync(string id, CancellationToken ct = default)
    {
        var h = (await ReadAsync(id, ct)).SingleOrDefault() ?? throw new HookException("not_found", $"no hook {id}");
        var error = await SendAsync(h, new TreeChange(0, ChangeKind.Meta, h.Hook.Path, null, "", true, 0, null, Now), ct);
        await using var c = await _tree.Engines.OpenConnectionAsync(ct);
        await ExecAsync(c, "UPDATE grove_hooks SET last_error = @e, last_attempt = @a WHERE id = @i", ct, ("e", error), ("a", Now), ("i", id));
        return error;
    }

    /// <summary>Delivers what is due for every hook once; returns how many events were delivered.</summary>
    public async Task<int> DeliverAsync(CancellationToken ct = default)
    {
        var delivered = 0;
        var hooks = await ReadAsync(null, ct);
        Interlocked.CompareExchange(ref _count, hooks.Count, -1);
        foreach (var h in hooks)
        {
            if (h.NextAt <= Now)
            {
                delivered += await DeliverAsync(h, ct);
            }
        }

        return delivered;
    }

    private async Task<int> DeliverAsync(Stored h, CancellationToken ct)
    {
        var page = await _tree.ChangesAsync(h.Hook.Path, h.Hook.Revision, 200, ct);
        var rev = h.Hook.Revision;
        var delivered = 0;
        var error = page.Resync ? $"changes after revision {rev} were past the feed's retention; continued from {page.Revision}" : null;
        foreach (var change in page.Changes)
        {
            if (!h.Hook.Events.Contains(change.Kind) || (h.Hook.Queue is { } q && change.IsUnder(q)))
            {
                rev = change.Revision;
                continue;
            }

            if (await SendAsync(h, change, ct) is { } failed)
            {
                var failures = h.Hook.Failures + 1;
                var backoff = Math.Min(_options.FirstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20)), _options.MaxBackoff.TotalMilliseconds);
                await SaveAsync(h.Hook.Id, rev, failures, $"revision {change.Revision}: {failed}", Now + (long)backoff, ct);
                return delivered;
            }

            rev = change.Revision;
            delivered++;
        }

        if (page.Revision != h.Hook.Revision || h.Hook.Failures > 0 || page.Resync)
        {
            await SaveAsync(h.Hook.Id, page.Revision, 0, error, 0, ct);
        }

        return delivered;
    }

    private async Task<string?> SendAsync(Stored h, TreeChange change, CancellationToken ct)
    {
        var body = ChangeJson.ToUtf8(change);
        try
        {
            if (h.Hook.Queue is { } queue)
            {
                await _queues.PushAsync(queue, new MemoryStream(body), change.Revision.ToString("D12", CultureInfo.InvariantCulture) + "-" + ChangeJson.Name(change.Kind) + ".json", ct: ct);
                return null;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, h.Hook.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add(SignatureHeader, Sign(h.Secret, body));
            request.Headers.Add("X-Grove-Hook", h.Hook.Id);
            request.Headers.Add("X-Grove-Event", ChangeJson.Name(change.Kind));
            request.Headers.Add("X-Grove-Revision", change.Revision.ToString(CultureInfo.InvariantCulture));
            using var response = await _http.SendAsync(request, ct);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} from {h.Hook.Url}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or GroveException && !ct.IsCancellationRequested)
        {
            return e.Message;
        }
    }

    /// <summary>The signature header's value of <paramref name="body"/>: <c>sha256=</c> and the hex HMAC-SHA256 keyed by the hook's secret.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body));

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            // Note that the signal is taken before the table is read: a hook added meanwhile completes it.
            var defined = Volatile.Read(ref _defined).Task;
            try
            {
                // Note that the wait starts from the revision known before this pass read the feed: a change that
                // commits during the pass wakes the next one at once instead of after the wait's time-out.
                var known = _tree.ChangeRevision;
                await using (var held = await _tree.Locks.TryAcquireAsync("grove-hooks", TimeSpan.FromSeconds(30), ct))
                {
                    if (held is not null)
                    {
                        await DeliverAsync(ct);
                    }
                }

                if (Volatile.Read(ref _count) == 0)
                {
                    await defined.WaitAsync(TimeSpan.FromMinutes(1), _tree.Options.Time, ct).ContinueWith(_ => Changed(), TaskScheduler.Default);
                    continue;
                }

                await _tree.WaitForChangesAsync(known, TimeSpan.FromSeconds(1), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or GroveException or InvalidOperationException or TimeoutException)
            {
                // Note that the store may be away for a while: the next pass tries again.
                await Task.Delay(TimeSpan.FromSeconds(1), _tree.Options.Time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private sealed record Stored(Hook Hook, string Secret, long NextAt);

    private async Task<List<Stored>> ReadAsync(string? id, CancellationToken ct)
    {
        await using var c = await _tree.Engines.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "SELECT id, path, events, url, queue, secret, rev, failures, last_error, last_attempt, next_at FROM grove_hooks"
            + (id is null ? "" : " WHERE id = @i") + " ORDER BY path, id");
        if (id is not null)
        {
            EngineStorage.Parameter(cmd, "i", id);
        }

        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<Stored>();
        while (await r.ReadAsync(ct))
        {
            var events = r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ChangeJson.Parse).OfType<ChangeKind>().ToHashSet();
            list.Add(new Stored(new Hook(r.GetString(0), r.GetString(1), events, r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.GetInt64(6), r.GetInt32(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetInt64(9)), r.GetString(5), r.GetInt64(10)));
        }

        return list;
    }

    private async Task SaveAsync(string id, long rev, int failures, string? error, long nextAt, CancellationToken ct)
    {
        await using var c = await _tree.Engines.OpenConnectionAsync(ct);
        await ExecAsync(c, "UPDATE grove_hooks SET rev = @r, failures = @f, last_error = @e, last_attempt = @a, next_at = @n WHERE id = @i", ct,
            ("r", rev), ("f", failures), ("e", error), ("a", Now), ("n", nextAt), ("i", id));
    }

    private static async Task<int> ExecAsync(DbConnection c, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = EngineStorage.Command(c, null, sql);
        foreach (var (name, value) in args)
        {
            EngineStorage.Parameter(cmd, name, value);
        }

        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _subscription?.Dispose();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _http.Dispose();
    }
}
