using System.CommandLine;
using Grove.Cli.Logs;
using Grove.Cli.Output;
using Grove.Client;

namespace Grove.Cli.Commands.Logs;

/// <summary>Listing and deleting task logs: <c>grove logs ls</c> and <c>grove logs rm</c>.</summary>
internal static class LogsTaskCommands
{
    public static IEnumerable<Command> Create(CliApp app)
    {
        var status = new Option<string?>("--status") { Description = "Only tasks with this status: running, succeeded, failed, canceled, abandoned.", HelpName = "status" };
        var name = new Option<string?>("--name") { Description = "Only tasks whose name contains this text.", HelpName = "text" };
        var label = new Option<string[]>("--label") { Description = "Only tasks with this label (repeatable).", HelpName = "label" };
        var limit = new Option<int?>("--limit") { Description = "Tasks per page (1-1000, default 100).", HelpName = "N" };
        var after = new Option<string?>("--after") { Description = "The cursor of the next page (printed on stderr).", HelpName = "cursor" };
        var ls = new Command("ls", "List task logs, newest first: id, status, exit code, lines, created, name.") { status, name, label, limit, after };
        ls.Aliases.Add("list");
        app.SetAction(ls, async (s, r, ct) =>
        {
            await using var backend = await LogBackends.OpenAsync(s, ct);
            var page = await backend.ListAsync(new GroveLogTaskQuery
            {
                Status = ParseStatus(r.GetValue(status)),
                Name = r.GetValue(name),
                Labels = r.GetValue(label) ?? [],
                Limit = r.GetValue(limit),
                After = r.GetValue(after),
            }, ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("items");
                    foreach (var t in page.Items)
                    {
                        WriteTask(w, t);
                    }

                    w.WriteEndArray();
                    w.WriteString("next", page.Next);
                    w.WriteEndObject();
                });
                return ExitCodes.Ok;
            }

            s.Out.WriteLine($"{"ID",-26}  {"STATUS",-9}  {"EXIT",4}  {"LINES",11}  {"CREATED",-16}  NAME");
            foreach (var t in page.Items)
            {
                var exit = t.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
                var status = t.Status.ToString().ToLowerInvariant();
                s.Out.WriteLine($"{t.Id,-26}  {status,-9}  {exit,4}  {t.Lines,11:N0}  {ObjectTable.Time(t.Created.ToUnixTimeMilliseconds()),-16}  {TerminalText.Clean(t.Name)}");
            }

            s.WriteNext(page.Next);
            return ExitCodes.Ok;
        });

        var ids = new Argument<string[]>("task") { Description = "The task ids.", Arity = ArgumentArity.OneOrMore };
        var rm = new Command("rm", "Delete task logs (their lines and archives).") { ids };
        app.SetAction(rm, async (s, r, ct) =>
        {
            await using var backend = await LogBackends.OpenAsync(s, ct);
            foreach (var id in r.GetValue(ids)!)
            {
                await backend.DeleteAsync(id, ct);
                s.Out.WriteLine($"deleted task {TerminalText.Clean(id)}");
            }

            return ExitCodes.Ok;
        });

        return [ls, rm];
    }

    private static GroveLogStatus? ParseStatus(string? text) => text switch
    {
        null => null,
        "running" => GroveLogStatus.Running,
        "succeeded" => GroveLogStatus.Succeeded,
        "failed" => GroveLogStatus.Failed,
        "canceled" => GroveLogStatus.Canceled,
        "abandoned" => GroveLogStatus.Abandoned,
        _ => throw CliException.Usage($"unknown status '{text}': use running, succeeded, failed, canceled or abandoned"),
    };

    private static void WriteTask(System.Text.Json.Utf8JsonWriter w, GroveLogTask t)
    {
        w.WriteStartObject();
        w.WriteString("id", t.Id);
        w.WriteString("name", t.Name);
        w.WriteString("status", t.Status.ToString().ToLowerInvariant());
        if (t.ExitCode is { } x)
        {
            w.WriteNumber("exitCode", x);
        }

        w.WriteNumber("lines", t.Lines);
        w.WriteNumber("created", t.Created.ToUnixTimeMilliseconds());
        w.WriteBoolean("archived", t.Archived);
        w.WriteEndObject();
    }
}
