using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Cli.Demo;
using Grove.Cli.Logs;
using Grove.Cli.Output;
using Grove.Client;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove demo</c>: fills a data folder (created if missing) or a server (<c>--server</c>) with sample data, so every
/// page of the console shows something real: a tree under <c>/demo</c>, configs with history in the group
/// <c>DEMO</c>, a finished and a failed task log and one left running. It does nothing when <c>/demo</c> exists.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("demo", "Fill the data folder (or the server of --server) with sample data: a tree under /demo, configs with history, task logs.");
        app.SetAction(command, async (s, _, ct) =>
        {
            int files;
            await using (var tree = await s.OpenAsync(ct, create: s.Server is null))
            {
                if (await tree.FindAsync(DemoTree.Root, ct) is not null)
                {
                    s.Out.WriteLine($"the demo data is already in {tree.Location} ({DemoTree.Root}); start over with: grove rm -r {DemoTree.Root}");
                    return ExitCodes.Ok;
                }

                files = await FillTreeAsync(tree, ct);
            }

            var configs = await PublishConfigsAsync(s, ct);
            var tasks = await WriteLogsAsync(s, ct);
            Report(s, files, configs, tasks);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> FillTreeAsync(ITreeBackend tree, CancellationToken ct)
    {
        foreach (var folder in DemoTree.Folders)
        {
            await tree.MkdirAsync(folder, parents: true, ct);
        }

        foreach (var file in DemoTree.Files)
        {
            using var content = new MemoryStream(file.Content);
            await tree.WriteAsync(file.Path, content, null, ct);
            if (file.Meta.Length > 0)
            {
                await tree.SetMetaAsync(file.Path, MetaArguments.Parse(file.Meta), [], ct);
            }
        }

        return DemoTree.Files.Count;
    }

    private static async Task<int> PublishConfigsAsync(CommandSession s, CancellationToken ct)
    {
        await using var configs = await ConfigCommand.OpenAsync(s, ct);
        foreach (var config in DemoConfigs.All)
        {
            var key = new GroveConfigKey(DemoConfigs.Group, config.DataId);
            foreach (var version in config.Versions)
            {
                await configs.PublishAsync(key, version + "\n", new GroveConfigPublishOptions { Description = config.Description }, ct);
            }
        }

        return DemoConfigs.All.Count;
    }

    private static async Task<List<(GroveLogTask Task, string Status)>> WriteLogsAsync(CommandSession s, CancellationToken ct)
    {
        var made = new List<(GroveLogTask, string)>();
        await using var logs = await LogBackends.OpenAsync(s, ct);
        foreach (var sample in DemoLogs.All)
        {
            var task = await logs.CreateAsync(sample.Name, sample.Labels, ct);
            await using var writer = logs.OpenWriter(task.Id);
            foreach (var line in sample.Lines)
            {
                writer.Write(line);
            }

            if (sample.ExitCode is { } exit)
            {
                var status = exit == 0 ? GroveLogStatus.Succeeded : GroveLogStatus.Failed;
                if (!await writer.FinishAsync(status, exit, s.Error, ct))
                {
                    throw new CliException(CliErrorCodes.Unavailable, $"the task log '{sample.Name}' could not be finished");
                }

                made.Add((task, status.ToString().ToLowerInvariant()));
            }
            else
            {
                // Note that this one stays running (its lines are delivered when the writer is disposed): the Logs page
                // shows a live task until the server finishes it as abandoned after its idle timeout (10 minutes).
                made.Add((task, "running"));
            }
        }

        return made;
    }

    private static void Report(CommandSession s, int files, int configs, List<(GroveLogTask Task, string Status)> tasks)
    {
        if (s.Json)
        {
            JsonText.WriteLine(s.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("tree", DemoTree.Root);
                w.WriteNumber("files", files);
                w.WriteString("configGroup", DemoConfigs.Group);
                w.WriteNumber("configs", configs);
                w.WriteStartArray("tasks");
                foreach (var (task, status) in tasks)
                {
                    w.WriteStartObject();
                    w.WriteString("id", task.Id);
                    w.WriteString("name", task.Name);
                    w.WriteString("status", status);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        s.Out.WriteLine($"filled {DemoTree.Root} with {files} files, some with metadata (grove ls {DemoTree.Root}/projects/alpha)");
        s.Out.WriteLine($"published {configs} configs in the group {DemoConfigs.Group}, with history (grove config history {DemoConfigs.Group}/shop.yaml)");
        foreach (var (task, status) in tasks)
        {
            s.Out.WriteLine($"task {task.Id}  {status,-9}  {TerminalText.Clean(task.Name)}");
        }

        if (s.Server is { } server)
        {
            s.Out.WriteLine($"open {server} in a browser and sign in: every page of the console now shows some of it");
        }
    }
}
