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

    private static Command Listen(CliApp app, Option<string?> tenant)
    {
        var keys = new Argument<string[]>("configs") { Description = "The configs to follow: group/dataId…", Arity = ArgumentArity.OneOrMore };
        var once = new Option<bool>("--once") { Description = "Exit after the first change." };
        var command = new Command("listen", "Follow configs on a server: print a line per change (push stream; Ctrl+C to stop).") { keys, once };
        app.SetAction(command, async (s, r, ct) =>
        {
            var server = s.RequireServer("config listen");
            await using var backend = new RemoteConfigBackend(BackendFactory.OpenClient(server, s.Host));
            var watched = r.GetValue(keys)!.Select(k => GroveConfigKey.Parse(k, r.GetValue(tenant) ?? "")).ToList();
            var held = new Dictionary<GroveConfigKey, string?>();
            foreach (var k in watched)
            {
                held[k] = (await backend.GetAsync(k, ct))?.Md5;
            }

            var options = new GroveConfigWatchOptions { OnError = e => s.Error.WriteLine(TerminalText.Clean($"grove: reconnecting: {e.Message}")) };
            await foreach (var change in backend.Configs.WatchAsync(watched, k => held[k], options, ct))
            {
                held[change.Key] = change.Md5;
                if (s.Json)
                {
                    JsonText.WriteLine(s.Out, w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("tenant", change.Key.Tenant);
                        w.WriteString("group", change.Key.Group);
                        w.WriteString("dataId", change.Key.DataId);
                        w.WriteString("md5", change.Md5);
                        w.WriteNumber("revision", change.Revision);
                        w.WriteEndObject();
                    });
                }
                else
                {
                    s.Out.WriteLine(TerminalText.Clean(change.Md5 is null ? $"removed {change.Key}" : $"changed {change.Key} md5 {change.Md5} revision {change.Revision}"));
                }

                await s.Out.FlushAsync(ct);
                if (r.GetValue(once))
                {
                    break;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export(CliApp app, Option<string?> tenant)
    {
        var file = new Argument<string>("file") { Description = "The zip to write (- for standard output)." };
        var group = new Option<string?>("--group", "-g") { Description = "Only this group.", HelpName = "group" };
        var command = new Command("export", "Export a namespace's configs as a zip (Nacos 2's layout; secrets stay sealed).") { file, group };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await OpenAsync(s, ct);
            var target = r.GetValue(file)!;
            using var zip = new MemoryStream();
            await backend.ExportAsync(zip, r.GetValue(tenant) ?? "", r.GetValue(group), ct);
            zip.Position = 0;
            if (target == "-")
            {
                await BinaryOutput.CopyAsync(zip, s.Out, ct);
                return ExitCodes.Ok;
            }

            var path = s.Host.LocalPath(target);
            var tmp = path + ".part";
            await using (var output = File.Create(tmp))
            {
                await zip.CopyToAsync(output, ct);
            }

            File.Move(tmp, path, overwrite: true);
            s.Out.WriteLine(TerminalText.Clean($"exported to {target} ({zip.Length} bytes)"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import(CliApp app, Option<string?> tenant)
    {
        var file = new Argument<string>("file") { Description = "The zip to import." };
        var policy = new Option<string>("--policy") { Description = "What to do with configs that exist: abort (import nothing), skip or overwrite.", DefaultValueFactory = _ => "abort" };
        policy.AcceptOnlyFromAmong("abort", "skip", "overwrite");
        var command = new Command("import", "Import a zip of configs, all or nothing.") { file, policy };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var zip = File.OpenRead(s.Host.LocalPath(r.GetValue(file)!));
            await using var backend = await OpenAsync(s, ct);
            var result = await backend.ImportAsync(zip, r.GetValue(tenant) ?? "", Enum.Parse<GroveConfigImportPolicy>(r.GetValue(policy)!, ignoreCase: true), ct);
            s.Out.WriteLine($"imported: {result.Created.Count} created, {result.Updated.Count} updated, {result.Skipped.Count} skipped");
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
