using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Grove.Cli.Messages;
using Grove.Cli.Output;
using Grove.Client;

namespace Grove.Cli.Commands.Messages;

/// <summary><c>grove messages send|ls|show|print|migrate</c>: partner messages on a Grove server or in the local data folder (docs/messages.md).</summary>
internal static class MessagesCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("messages", "Send, list, show, print and migrate partner messages (on a server, or in the data folder).");
        command.Subcommands.Add(Send(app));
        command.Subcommands.Add(List(app));
        command.Subcommands.Add(Show(app));
        command.Subcommands.Add(Print(app));
        command.Subcommands.Add(MigrateCommand.Create(app));
        return command;
    }

    private static Command Send(CliApp app)
    {
        var partner = new Argument<string>("partner") { Description = "The partner." };
        var type = new Argument<string>("type") { Description = "The message type." };
        var file = new Argument<string>("file") { Description = "The body (JSON or XML), or - for standard input." };
        var source = new Option<string?>("--source-id") { Description = "The partner's id of the message (a resend returns the first answer)." };
        var send = new Command("send", "Send one message as the partner would.") { partner, type, file, source };
        app.SetAction(send, async (s, r, ct) =>
        {
            await using var client = await MessageBackends.OpenAsync(s, ct);
            var path = r.GetValue(file)!;
            byte[] body;
            if (path == "-")
            {
                using var buffer = new MemoryStream();
                await Console.OpenStandardInput().CopyToAsync(buffer, ct);
                body = buffer.ToArray();
            }
            else
            {
                body = await File.ReadAllBytesAsync(path, ct);
            }

            var receipt = await client.SendAsync(r.GetValue(partner)!, r.GetValue(type)!, body, r.GetValue(source), ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w => JsonSerializer.Serialize(w, receipt, JsonSerializerOptions.Web));
            }
            else
            {
                s.Out.WriteLine($"{(receipt.Duplicate ? "already received" : "received")} message {receipt.Id} (source {TerminalText.Clean(receipt.SourceId ?? "-")}, mapping revision {receipt.Revision})");
            }

            return ExitCodes.Ok;
        });
        return send;
    }

    private static Command List(CliApp app)
    {
        var partner = new Option<string?>("--partner") { Description = "Only this partner's messages." };
        var type = new Option<string?>("--type") { Description = "Only this type." };
        var where = new Option<string?>("--where") { Description = "A WnQuery filter (JSON) over mapped fields." };
        var limit = new Option<int?>("--limit") { Description = "Page size (default 100)." };
        var after = new Option<string?>("--after") { Description = "The cursor of the previous page." };
        var ls = new Command("ls", "List messages, newest first.") { partner, type, where, limit, after };
        app.SetAction(ls, async (s, r, ct) =>
        {
            await using var client = await MessageBackends.OpenAsync(s, ct);
            var page = await client.ListAsync(new GroveMessageQuery
            {
                Partner = r.GetValue(partner),
                Type = r.GetValue(type),
                Where = r.GetValue(where),
                Limit = r.GetValue(limit),
                After = r.GetValue(after),
            }, ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("items");
                    foreach (var m in page.Items)
                    {
                        Summary(w, m);
                    }

                    w.WriteEndArray();
                    w.WriteString("next", page.Next);
                    w.WriteEndObject();
                });
                return ExitCodes.Ok;
            }

            foreach (var m in page.Items)
            {
                s.Out.WriteLine(string.Join('\t', m.Id.ToString(CultureInfo.InvariantCulture), m.ReceivedAt.ToString("u", CultureInfo.InvariantCulture), TerminalText.Clean(m.Partner), TerminalText.Clean(m.Type), TerminalText.Clean(m.SourceId ?? "-")));
            }

            if (page.Next is not null)
            {
                s.Error.WriteLine($"more: --after {page.Next}");
            }

            return ExitCodes.Ok;
        });
        return ls;
    }

    private static Command Show(CliApp app)
    {
        var partner = new Argument<string>("partner") { Description = "The partner." };
        var source = new Argument<string>("source-id") { Description = "The partner's id of the message (for migrated messages, the legacy id)." };
        var show = new Command("show", "Show one message with display names, master fields and detail table.") { partner, source };
        app.SetAction(show, async (s, r, ct) =>
        {
            await using var client = await MessageBackends.OpenAsync(s, ct);
            var m = await client.FindAsync(r.GetValue(partner)!, r.GetValue(source)!, ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", m.Id);
                    w.WriteString("partner", m.Partner);
                    w.WriteString("type", m.Type);
                    w.WriteString("sourceId", m.SourceId);
                    w.WriteNumber("revision", m.Revision);
                    w.WritePropertyName("document");
                    w.WriteRawValue(m.Document);
                    w.WriteEndObject();
                });
                return ExitCodes.Ok;
            }

            s.Out.WriteLine($"message {m.Id} · {TerminalText.Clean(m.Partner)} {TerminalText.Clean(m.Type)} · source {TerminalText.Clean(m.SourceId ?? "-")} · mapping revision {m.Revision}");
            foreach (var (_, display, value) in m.Fields)
            {
                s.Out.WriteLine($"{TerminalText.Clean(display)}: {TerminalText.Clean(value)}");
            }

            if (m.DetailTitle is not null)
            {
                s.Out.WriteLine();
                s.Out.WriteLine(TerminalText.Clean(m.DetailTitle));
                s.Out.WriteLine(string.Join('\t', m.DetailColumns.Select(TerminalText.Clean)));
                foreach (var row in m.DetailRows)
                {
                    s.Out.WriteLine(string.Join('\t', row.Select(TerminalText.Clean)));
                }
            }

            return ExitCodes.Ok;
        });
        return show;
    }

    private static Command Print(CliApp app)
    {
        var partner = new Argument<string>("partner") { Description = "The partner." };
        var source = new Argument<string>("source-id") { Description = "The partner's id of the message; with --batch, ignored (use - )." };
        var output = new Argument<string>("out") { Description = "The PDF (or zip) to write." };
        var batch = new Option<bool>("--batch") { Description = "Print every message of the partner matching --type/--where instead." };
        var type = new Option<string?>("--type") { Description = "With --batch: only this type." };
        var where = new Option<string?>("--where") { Description = "With --batch: a WnQuery filter over mapped fields." };
        var zip = new Option<bool>("--zip") { Description = "With --batch: a zip of one PDF per message (memory flat on the server)." };
        var print = new Command("print", "Print a message (or a batch) as PDF.") { partner, source, output, batch, type, where, zip };
        app.SetAction(print, async (s, r, ct) =>
        {
            await using var client = await MessageBackends.OpenAsync(s, ct);
            var path = r.GetValue(output)!;
            await using (var file = File.Create(path))
            {
                if (r.GetValue(batch))
                {
                    await client.PrintBatchAsync(new GroveMessageQuery { Partner = r.GetValue(partner), Type = r.GetValue(type), Where = r.GetValue(where) }, file, r.GetValue(zip), ct);
                }
                else
                {
                    await client.PrintAsync(r.GetValue(partner)!, r.GetValue(source)!, file, ct);
                }
            }

            s.Error.WriteLine($"wrote {TerminalText.Clean(path)} ({new FileInfo(path).Length} bytes)");
            return ExitCodes.Ok;
        });
        return print;
    }

    private static void Summary(Utf8JsonWriter w, GroveMessage m)
    {
        w.WriteStartObject();
        w.WriteNumber("id", m.Id);
        w.WriteString("partner", m.Partner);
        w.WriteString("type", m.Type);
        w.WriteString("receivedAt", m.ReceivedAt);
        w.WriteString("sourceId", m.SourceId);
        w.WriteNumber("revision", m.Revision);
        w.WritePropertyName("document");
        w.WriteRawValue(m.Document);
        w.WriteEndObject();
    }
}
