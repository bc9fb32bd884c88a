using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Cli.Output;
using Grove.Client;

namespace Grove.Cli.Commands;

internal static partial class ConfigCommand
{
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
}
