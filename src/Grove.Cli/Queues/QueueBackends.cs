using Grove.Cli.Backend;
using Grove.Client;
using Grove.Queues;
using Grove.Tree;

namespace Grove.Cli.Queues;

/// <summary>What <c>grove mq</c> does, on a server or in the local data folder.</summary>
internal interface IQueueBackend : IAsyncDisposable
{
    Task<GroveQueueMessage> PushAsync(string queue, Stream content, string? name, CancellationToken ct);

    Task<GroveQueueMessage?> PopAsync(string queue, TimeSpan? visibility, CancellationToken ct);

    Task<IReadOnlyList<GroveQueueMessage>> PopManyAsync(string queue, int max, TimeSpan? visibility, CancellationToken ct);

    Task<GroveQueueAckResult> AckManyAsync(string queue, IReadOnlyList<string> receipts, CancellationToken ct);

    Task<Stream> OpenAsync(string path, CancellationToken ct);

    Task AckAsync(string queue, string receipt, CancellationToken ct);

    Task NackAsync(string queue, string receipt, TimeSpan? delay, CancellationToken ct);

    Task<GroveQueueListing> ListAsync(string queue, CancellationToken ct);
}

/// <summary>Opens the queue backend of an invocation: the server of <c>--server</c>, else the local data folder.</summary>
internal static class QueueBackends
{
    public static async Task<IQueueBackend> OpenAsync(CommandSession s, CancellationToken ct)
    {
        if (s.Server is { } server)
        {
            return new RemoteQueues(BackendFactory.OpenClient(server, s.Host));
        }

        var settings = s.Settings;
        await settings.EnsureInitializedAsync(ct, "run 'grove init' or pass --data (or --server)");
        var tree = await TreeService.OpenAsync(settings.TreeOptions, ct);
        try
        {
            return new LocalQueues(tree, await QueueService.OpenAsync(tree, ct: ct));
        }
        catch
        {
            await tree.DisposeAsync();
            throw;
        }
    }

    private sealed class RemoteQueues(GroveClient client) : IQueueBackend
    {
        public Task<GroveQueueMessage> PushAsync(string queue, Stream content, string? name, CancellationToken ct) => client.PushAsync(queue, content, name, ct);

        public Task<GroveQueueMessage?> PopAsync(string queue, TimeSpan? visibility, CancellationToken ct) => client.PopAsync(queue, visibility, ct);

        public Task<IReadOnlyList<GroveQueueMessage>> PopManyAsync(string queue, int max, TimeSpan? visibility, CancellationToken ct) =>
            client.PopManyAsync(queue, max, visibility, ct);

        public Task<GroveQueueAckResult> AckManyAsync(string queue, IReadOnlyList<string> receipts, CancellationToken ct) =>
            client.AckManyAsync(queue, receipts, ct);

        public async Task<Stream> OpenAsync(string path, CancellationToken ct)
        {
            var buffer = new MemoryStream();
            await client.DownloadAsync(path, buffer, null, ct);
            buffer.Position = 0;
            return buffer;
        }

        public Task AckAsync(string queue, string receipt, CancellationToken ct) => client.AckAsync(queue, receipt, ct);

        public Task NackAsync(string queue, string receipt, TimeSpan? delay, CancellationToken ct) => client.NackAsync(queue, receipt, delay, ct);

        public Task<GroveQueueListing> ListAsync(string queue, CancellationToken ct) => client.ListQueueAsync(queue, ct: ct);

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class LocalQueues(TreeService tree, QueueService queues) : IQueueBackend
    {
        public async Task<GroveQueueMessage> PushAsync(string queue, Stream content, string? name, CancellationToken ct) =>
            Map(await queues.PushAsync(queue, content, name, null, ct), null);

        public async Task<GroveQueueMessage?> PopAsync(string queue, TimeSpan? visibility, CancellationToken ct) =>
            await queues.ClaimAsync(queue, visibility, ct) is { } c ? Map(c.Message, c.Receipt) : null;

        public async Task<IReadOnlyList<GroveQueueMessage>> PopManyAsync(string queue, int max, TimeSpan? visibility, CancellationToken ct) =>
            [.. (await queues.ClaimManyAsync(queue, max, visibility, ct)).Select(c => Map(c.Message, c.Receipt))];

        public async Task<GroveQueueAckResult> AckManyAsync(string queue, IReadOnlyList<string> receipts, CancellationToken ct)
        {
            var r = await queues.AckManyAsync(queue, receipts, ct);
            return new GroveQueueAckResult(r.Acked, r.Stale);
        }

        public async Task<Stream> OpenAsync(string path, CancellationToken ct) => await tree.OpenReadAsync(path, ct);

        public Task AckAsync(string queue, string receipt, CancellationToken ct) => queues.AckAsync(queue, receipt, ct);

        public Task NackAsync(string queue, string receipt, TimeSpan? delay, CancellationToken ct) => queues.NackAsync(queue, receipt, delay, ct);

        public async Task<GroveQueueListing> ListAsync(string queue, CancellationToken ct)
        {
            var stats = await queues.StatsAsync(queue, ct);
            var items = await queues.ListAsync(queue, 0, 1000, ct);
            return new GroveQueueListing(
                new GroveQueueStats(stats.Path, stats.Depth, stats.InFlight, stats.Oldest is { } o ? DateTimeOffset.FromUnixTimeMilliseconds(o) : null),
                [.. items.Select(m => Map(m, null))]);
        }

        public async ValueTask DisposeAsync()
        {
            await queues.DisposeAsync();
            await tree.DisposeAsync();
        }

        private static GroveQueueMessage Map(QueueMessage m, string? receipt) => new(m.Sequence, m.Id, m.Path, m.Deliveries,
            DateTimeOffset.FromUnixTimeMilliseconds(m.Enqueued), DateTimeOffset.FromUnixTimeMilliseconds(m.VisibleAt), receipt);
    }
}
