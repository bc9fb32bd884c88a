using System.CommandLine;
using System.Text.Json;
using Grove.Cli.Backend;
using Grove.Cli.Output;
using Grove.Client;

namespace Grove.Cli.Commands;

internal static partial class ConfigCommand
{
    private static Command List(CliApp app, Option<string?> tenant)
    {
        var group = new Option<string?>("--group", "-g") { Description = "Only groups containing this.", HelpName = "text" };
        var dataId = new Option<string?>("--data-id", "-d") { Description = "Only dataIds containing this.", HelpName = "text" };
        var limit = new Option<int>("--limit") { Description = "At most this many (1 to 1000).", DefaultValueFactory = _ => 100 };
        var command = new Command("ls", "List configs (search by group and dataId).") { group, dataId, limit };
        app.SetAction(command, async (s, r, ct) =>
        {
            if (r.GetValue(limit) is < 1 or > 1000)
            {
                throw CliException.Usage("--limit is 1 to 1000");
            }

            await using var backend = await OpenAsync(s, ct);
            var page = await backend.ListAsync(new GroveConfigQuery { Tenant = r.GetValue(tenant) ?? "", Group = r.GetValue(group), DataId = r.GetValue(dataId), PageSize = r.GetValue(limit) }, ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartArray();
                    foreach (var c in page.Items)
                    {
                        Write(w, c);
                    }

                    w.WriteEndArray();
                });
                return ExitCodes.Ok;
            }

            s.Out.WriteLine($"{"GROUP",-20}  {"DATA ID",-32}  {"TYPE",-10}  {"REV",8}  MODIFIED");
            foreach (var c in page.Items)
            {
                s.Out.WriteLine(TerminalText.Clean($"{c.Key.Group,-20}  {c.Key.DataId,-32}  {c.Type,-10}  {c.Revision,8}  {ObjectTable.Time(c.ModifiedAt.ToUnixTimeMilliseconds())}"));
            }

            if (page.Total > page.Items.Count)
            {
                s.Error.WriteLine($"{page.Total - page.Items.Count} more; narrow the search or raise --limit");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command History(CliApp app, Option<string?> tenant)
    {
        var key = KeyArgument();
        var limit = new Option<int>("--limit") { Description = "At most this many versions, newest first (1 to 1000).", DefaultValueFactory = _ => 20 };
        var command = new Command("history", "A config's versions, newest first.") { key, limit };
        app.SetAction(command, async (s, r, ct) =>
        {
            if (r.GetValue(limit) is < 1 or > 1000)
            {
                throw CliException.Usage("--limit is 1 to 1000");
            }

            await using var backend = await OpenAsync(s, ct);
            var entries = await backend.HistoryAsync(KeyOf(r, key, tenant), r.GetValue(limit), ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartArray();
                    foreach (var e in entries)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("id", e.Id);
                        w.WriteString("op", e.Op);
                        w.WriteString("md5", e.Md5);
                        w.WriteString("user", e.User);
                        w.WriteString("clientIp", e.ClientIp);
                        w.WriteNumber("at", e.At.ToUnixTimeMilliseconds());
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
                return ExitCodes.Ok;
            }

            s.Out.WriteLine($"{"ID",10}  {"OP",-12}  {"USER",-12}  {"WHEN",-16}  MD5");
            foreach (var e in entries)
            {
                s.Out.WriteLine(TerminalText.Clean($"{e.Id,10}  {e.Op,-12}  {e.User ?? "-",-12}  {ObjectTable.Time(e.At.ToUnixTimeMilliseconds()),-16}  {e.Md5 ?? "-"}"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Rollback(CliApp app, Option<string?> tenant)
    {
        var key = KeyArgument();
        var id = new Argument<long>("id") { Description = "The version to publish again (an id from grove config history)." };
        var command = new Command("rollback", "Publish an earlier version of a config again.") { key, id };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await OpenAsync(s, ct);
            var k = KeyOf(r, key, tenant);
            var config = await backend.RollbackAsync(k, r.GetValue(id), ct);
            s.Out.WriteLine(TerminalText.Clean($"rolled {k} back to version {r.GetValue(id)} (revision {config.Revision}, md5 {config.Md5})"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(Utf8JsonWriter w, GroveConfig c)
    {
        w.WriteStartObject();
        w.WriteString("tenant", c.Key.Tenant);
        w.WriteString("group", c.Key.Group);
        w.WriteString("dataId", c.Key.DataId);
        if (c.Content is not null)
        {
            w.WriteString("content", c.Content);
        }

        w.WriteString("md5", c.Md5);
        w.WriteString("type", c.Type);
        w.WriteNumber("revision", c.Revision);
        w.WriteBoolean("secret", c.Secret);
        w.WriteNumber("modifiedAt", c.ModifiedAt.ToUnixTimeMilliseconds());
        w.WriteString("modifiedBy", c.ModifiedBy);
        w.WriteEndObject();
    }
}
