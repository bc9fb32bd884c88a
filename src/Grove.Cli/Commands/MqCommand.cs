using System.CommandLine;
using System.Globalization;
using Grove.Cli.Output;
using Grove.Cli.Queues;
using Grove.Client;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove mq push QUEUE FILE</c>, <c>pop QUEUE [--max N]</c> (prints the receipt, then the content), <c>ack QUEUE RECEIPT...</c>,
/// <c>nack QUEUE RECEIPT</c>, <c>ls QUEUE</c>: queue mounts (<c>grove mount /q mq</c>) locally or on a server.
/// </summary>
internal static class MqCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("mq", "Queue mounts: push, pop, ack, nack and list messages.");
        command.Subcommands.Add(Push(app));
        command.Subcommands.Add(Pop(app));
        command.Subcommands.Add(Settle(app, "ack", "Acknowledge a popped message (its file is deleted)."));
        command.Subcommands.Add(Settle(app, "nack", "Give a popped message back (visible again)."));
        command.Subcommands.Add(List(app));
        return command;
    }

    private static Argument<string> QueueArg() => new("queue") { Description = "The queue's directory (an mq mount)." };

    private static Command Push(CliApp app)
    {
        var queue = QueueArg();
        var file = new Argument<string>("file") { Description = "The local file to enqueue ('-' for standard input)." };
        var name = new Option<string?>("--name") { Description = "The message file's name (default: by time)." };
        var command = new Command("push", "Enqueue a local file as a message.") { queue, file, name };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await QueueBackends.OpenAsync(s, ct);
            var path = r.GetValue(file)!;
            await using var content = path == "-" ? s.Host.In ?? throw CliException.Usage("no standard input to read") : File.OpenRead(s.Host.LocalPath(path));
            var m = await backend.PushAsync(TreePaths.Of(r.GetValue(queue)!), content, r.GetValue(name), ct);
            Print(s, m);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Pop(CliApp app)
    {
        var queue = QueueArg();
        var visibility = new Option<int?>("--visibility") { Description = "Seconds the message stays invisible to others (default 30)." };
        var max = new Option<int?>("--max") { Description = "Claim up to N messages at once (1 to 1000): prints each one's receipt and path, not the content." };
        var command = new Command("pop", "Claim the next message: prints its receipt and path, then its content (--json: the message only).") { queue, visibility, max };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await QueueBackends.OpenAsync(s, ct);
            var seconds = r.GetValue(visibility);
            if (r.GetValue(max) is { } n)
            {
                return await PopManyAsync(s, backend, TreePaths.Of(r.GetValue(queue)!), n, seconds, ct);
            }

            var m = await backend.PopAsync(TreePaths.Of(r.GetValue(queue)!), seconds is { } v ? TimeSpan.FromSeconds(v) : null, ct);
            if (m is null)
            {
                s.Error.WriteLine("the queue has no visible message");
                return ExitCodes.Ok;
            }

            if (s.Json)
            {
                Print(s, m);
                return ExitCodes.Ok;
            }

            s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"receipt: {m.Receipt}"));
            s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"message: {m.Path} (delivery {m.Deliveries})"));
            await s.Out.FlushAsync(ct);
            await using var content = await backend.OpenAsync(m.Path, ct);
            using var reader = new StreamReader(content);
            s.Out.Write(await reader.ReadToEndAsync(ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> PopManyAsync(CommandSession s, IQueueBackend backend, string queue, int max, int? seconds, CancellationToken ct)
    {
        if (max is < 1 or > 1000)
        {
            throw CliException.Usage("--max is 1 to 1000");
        }

        var messages = await backend.PopManyAsync(queue, max, seconds is { } v ? TimeSpan.FromSeconds(v) : null, ct);
        if (messages.Count == 0)
        {
            s.Error.WriteLine("the queue has no visible message");
        }

        foreach (var m in messages)
        {
            if (s.Json)
            {
                Print(s, m);
                continue;
            }

            s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"receipt: {m.Receipt}"));
            s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"message: {m.Path} (delivery {m.Deliveries})"));
        }

        return ExitCodes.Ok;
    }

    private static Command Settle(CliApp app, string verb, string description)
    {
        var queue = QueueArg();
        var receipt = new Argument<string[]>("receipt")
        {
            Description = verb == "ack" ? "The receipt(s) pop printed (several are acked in one call)." : "The receipt pop printed.",
            Arity = verb == "ack" ? ArgumentArity.OneOrMore : ArgumentArity.ExactlyOne,
        };
        var command = new Command(verb, description) { queue, receipt };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await QueueBackends.OpenAsync(s, ct);
            var q = TreePaths.Of(r.GetValue(queue)!);
            var receipts = r.GetValue(receipt)!;
            if (receipts.Length > 1)
            {
                var result = await backend.AckManyAsync(q, receipts, ct);
                s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acked {result.Acked}"));
                foreach (var stale in result.Stale)
                {
                    s.Error.WriteLine($"stale receipt (timed out, claimed again or acked): {stale}");
                }

                return result.Stale.Count == 0 ? ExitCodes.Ok : ExitCodes.UserError;
            }

            if (verb == "ack")
            {
                await backend.AckAsync(q, receipts[0], ct);
            }
            else
            {
                await backend.NackAsync(q, receipts[0], null, ct);
            }

            s.Out.WriteLine(verb == "ack" ? "acked" : "returned to the queue");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliApp app)
    {
        var queue = QueueArg();
        var command = new Command("ls", "List a queue's messages in FIFO order, with its depth and oldest message.") { queue };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await QueueBackends.OpenAsync(s, ct);
            var listing = await backend.ListAsync(TreePaths.Of(r.GetValue(queue)!), ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("depth", listing.Stats.Depth);
                    w.WriteNumber("inFlight", listing.Stats.InFlight);
                    w.WriteStartArray("items");
                    foreach (var m in listing.Items)
                    {
                        Write(w, m);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                });
                return ExitCodes.Ok;
            }

            foreach (var m in listing.Items)
            {
                var state = m.VisibleAt > DateTimeOffset.UtcNow && m.Deliveries > 0 ? "held" : "ready";
                s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Sequence}\t{state}\t{m.Deliveries}\t{m.Enqueued:yyyy-MM-ddTHH:mm:ssZ}\t{m.Path}"));
            }

            var oldest = listing.Stats.Oldest is { } o ? o.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "-";
            s.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"depth {listing.Stats.Depth}, in flight {listing.Stats.InFlight}, oldest {oldest}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(CommandSession s, GroveQueueMessage m)
    {
        if (s.Json)
        {
            JsonText.WriteLine(s.Out, w => Write(w, m));
        }
        else
        {
            s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Sequence}\t{m.Path}"));
        }
    }

    private static void Write(System.Text.Json.Utf8JsonWriter w, GroveQueueMessage m)
    {
        w.WriteStartObject();
        w.WriteNumber("sequence", m.Sequence);
        w.WriteString("id", m.Id);
        w.WriteString("path", m.Path);
        w.WriteNumber("deliveries", m.Deliveries);
        if (m.Receipt is not null)
        {
            w.WriteString("receipt", m.Receipt);
        }

        w.WriteEndObject();
    }
}
