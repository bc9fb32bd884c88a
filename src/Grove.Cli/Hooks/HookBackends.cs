using Grove.Cli.Backend;
using Grove.Client;
using Grove.Hooks;
using Grove.Queues;
using Grove.Tree;

namespace Grove.Cli.Hooks;

/// <summary>What <c>grove hook</c> does, on a server or in the local data folder.</summary>
internal interface IHookBackend : IAsyncDisposable
{
    Task<GroveHook> AddAsync(string path, IReadOnlyList<string> on, string? url, string? queue, CancellationToken ct);

    Task<IReadOnlyList<GroveHook>> ListAsync(CancellationToken ct);

    Task RemoveAsync(string id, CancellationToken ct);

    /// <summary>Sends a test event now; the error, or null when it was delivered.</summary>
    Task<string?> TestAsync(string id, CancellationToken ct);
}

/// <summary>
/// Opens the hook backend of an invocation: the server of <c>--server</c> (as an admin), else the local data folder.
/// Locally the hooks table is the store's own, so a hook added there is delivered by the server that opens the folder
/// next; nothing is delivered in the background by the CLI (only <c>test</c> sends, at once).
/// </summary>
internal static class HookBackends
{
    public static async Task<IHookBackend> OpenAsync(CommandSession s, CancellationToken ct)
    {
        if (s.Server is { } server)
        {
            return new RemoteHooks(BackendFactory.OpenClient(server, s.Host));
        }

        var settings = s.Settings;
        await settings.EnsureInitializedAsync(ct, "run 'grove init' or pass --data (or --server)");
        var tree = await TreeService.OpenAsync(settings.TreeOptions, ct);
        QueueService? queues = null;
        try
        {
            queues = await QueueService.OpenAsync(tree, ct: ct);
            var hooks = await HookService.OpenAsync(tree, queues, new HookOptions { Background = false }, ct: ct);
            return new LocalHooks(tree, queues, hooks);
        }
        catch
        {
            if (queues is not null)
            {
                await queues.DisposeAsync();
            }

            await tree.DisposeAsync();
            throw;
        }
    }

    private sealed class RemoteHooks(GroveClient client) : IHookBackend
    {
        public Task<GroveHook> AddAsync(string path, IReadOnlyList<string> on, string? url, string? queue, CancellationToken ct) =>
            client.AddHookAsync(path, on, url, queue, ct);

        public Task<IReadOnlyList<GroveHook>> ListAsync(CancellationToken ct) => client.ListHooksAsync(ct);

        public Task RemoveAsync(string id, CancellationToken ct) => client.RemoveHookAsync(id, ct);

        public Task<string?> TestAsync(string id, CancellationToken ct) => client.TestHookAsync(id, ct);

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class LocalHooks(TreeService tree, QueueService queues, HookService hooks) : IHookBackend
    {
        public async Task<GroveHook> AddAsync(string path, IReadOnlyList<string> on, string? url, string? queue, CancellationToken ct)
        {
            var kinds = on.Select(k => ChangeJson.Parse(k) ?? throw CliException.Usage($"'{k}' is not one of create, write, meta, move, delete")).ToList();
            var created = await hooks.AddAsync(path, kinds, url, queue, ct);
            return Map(created.Hook, created.Secret);
        }

        public async Task<IReadOnlyList<GroveHook>> ListAsync(CancellationToken ct) => [.. (await hooks.ListAsync(ct)).Select(h => Map(h, null))];

        public Task RemoveAsync(string id, CancellationToken ct) => hooks.RemoveAsync(id, ct);

        public Task<string?> TestAsync(string id, CancellationToken ct) => hooks.TestAsync(id, ct);

        public async ValueTask DisposeAsync()
        {
            await hooks.DisposeAsync();
            await queues.DisposeAsync();
            await tree.DisposeAsync();
        }

        private static GroveHook Map(Hook h, string? secret) =>
            new(h.Id, h.Path, [.. h.Events.Order().Select(ChangeJson.Name)], h.Url, h.Queue, h.Revision, h.Failures, h.LastError, secret);
    }
}
