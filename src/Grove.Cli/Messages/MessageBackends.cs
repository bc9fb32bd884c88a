using Grove.Cli.Backend;
using Grove.Client;
using Grove.Config;
using Grove.Messages;
using Grove.Tree;

namespace Grove.Cli.Messages;

/// <summary>What <c>grove messages</c> does, on a server or in the local data folder.</summary>
internal interface IMessagesBackend : IAsyncDisposable
{
    Task<GroveMessageReceipt> SendAsync(string partner, string type, byte[] body, string? sourceId, CancellationToken ct);

    Task<GrovePage<GroveMessage>> ListAsync(GroveMessageQuery query, CancellationToken ct);

    Task<GroveMessage> FindAsync(string partner, string sourceId, CancellationToken ct);

    Task PrintAsync(string partner, string sourceId, Stream output, CancellationToken ct);

    Task PrintBatchAsync(GroveMessageQuery query, Stream output, bool zip, CancellationToken ct);
}

/// <summary>Opens the messages backend of an invocation: the server of <c>--server</c>, else the local data folder.</summary>
internal static class MessageBackends
{
    public static async Task<IMessagesBackend> OpenAsync(CommandSession s, CancellationToken ct)
    {
        if (s.Server is { } server)
        {
            return new RemoteMessages(BackendFactory.OpenClient(server, s.Host));
        }

        return await OpenLocalAsync(s, ct);
    }

    public static async Task<LocalMessages> OpenLocalAsync(CommandSession s, CancellationToken ct)
    {
        var settings = s.Settings;
        await settings.EnsureInitializedAsync(ct, "run 'grove init' or pass --data (or --server)");
        var tree = await TreeService.OpenAsync(settings.TreeOptions, ct);
        ConfigEngine? config = null;
        try
        {
            config = await ConfigEngine.OpenAsync(tree, new ConfigOptions { RunTimers = false }, ct);
            return new LocalMessages(tree, config, await MessageEngine.OpenAsync(tree, config, ct: ct));
        }
        catch
        {
            if (config is not null)
            {
                await config.DisposeAsync();
            }

            await tree.DisposeAsync();
            throw;
        }
    }

    private sealed class RemoteMessages(GroveClient client) : IMessagesBackend
    {
        public Task<GroveMessageReceipt> SendAsync(string partner, string type, byte[] body, string? sourceId, CancellationToken ct) =>
            client.SendMessageAsync(partner, type, body, sourceId, null, ct);

        public Task<GrovePage<GroveMessage>> ListAsync(GroveMessageQuery query, CancellationToken ct) => client.ListMessagesAsync(query, ct);

        public Task<GroveMessage> FindAsync(string partner, string sourceId, CancellationToken ct) => client.FindMessageAsync(partner, sourceId, ct);

        public Task PrintAsync(string partner, string sourceId, Stream output, CancellationToken ct) => client.PrintMessageAsync(partner, sourceId, output, ct);

        public Task PrintBatchAsync(GroveMessageQuery query, Stream output, bool zip, CancellationToken ct) => client.PrintMessagesAsync(query, output, zip, ct);

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Messages in the local data folder through the engine (no server); answers shaped as the server's.</summary>
internal sealed class LocalMessages(TreeService tree, ConfigEngine config, MessageEngine engine) : IMessagesBackend
{
    public MessageEngine Engine => engine;

    public async Task<GroveMessageReceipt> SendAsync(string partner, string type, byte[] body, string? sourceId, CancellationToken ct)
    {
        var r = await engine.ReceiveAsync(new ReceiveRequest { Partner = partner, Type = type, Body = body, SourceId = sourceId }, ct);
        return new GroveMessageReceipt(r.Id, r.SourceId, r.Revision, r.ReceivedAt, r.Duplicate);
    }

    public async Task<GrovePage<GroveMessage>> ListAsync(GroveMessageQuery query, CancellationToken ct)
    {
        var page = await engine.QueryAsync(ToQuery(query), ct);
        return new GrovePage<GroveMessage>([.. page.Items.Select(Summary)], page.Next);
    }

    public async Task<GroveMessage> FindAsync(string partner, string sourceId, CancellationToken ct)
    {
        var v = await engine.FindAsync(partner, sourceId, ct);
        return Summary(v.Message) with
        {
            Fields = [.. v.Fields.Select(f => (f.Name, f.Display, f.Value))],
            DetailTitle = v.DetailTitle,
            DetailColumns = [.. v.DetailColumns.Select(c => c.Display)],
            DetailRows = v.DetailRows,
        };
    }

    public Task PrintAsync(string partner, string sourceId, Stream output, CancellationToken ct) => engine.PrintAsync(partner, sourceId, output, ct);

    public Task PrintBatchAsync(GroveMessageQuery query, Stream output, bool zip, CancellationToken ct) =>
        engine.PrintBatchAsync(ToQuery(query), output, zip ? BatchFormat.Zip : BatchFormat.Pdf, ct);

    private static MessageQuery ToQuery(GroveMessageQuery q) => new()
    {
        Partner = q.Partner,
        Type = q.Type,
        From = q.From,
        To = q.To,
        Keys = q.Keys,
        Where = q.Where,
        Ids = q.Ids,
        Limit = q.Limit ?? 100,
        After = q.After,
    };

    private static GroveMessage Summary(MessageSummary m) => new()
    {
        Id = m.Id,
        Partner = m.Partner,
        Type = m.Type,
        ReceivedAt = m.ReceivedAt,
        SourceId = m.SourceId,
        Revision = m.Revision,
        Document = m.Document,
    };

    public async ValueTask DisposeAsync()
    {
        await engine.DisposeAsync();
        await config.DisposeAsync();
        await tree.DisposeAsync();
    }
}
