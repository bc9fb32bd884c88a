using System.CommandLine;
using System.Globalization;
using Grove.Cli.Hooks;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove hook add PATH --on create,write --url URL | --queue QUEUE</c>, <c>ls</c>, <c>rm ID</c>, <c>test ID</c>:
/// hooks on a server (as an admin; the server delivers them) or, without <c>--server</c>, in the local data folder
/// (the server that opens the folder delivers them; <c>test</c> sends at once).
/// </summary>
internal static class HookCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("hook", "Hooks on committed changes (on a server as an admin, or in the local data folder): add, ls, rm, test.");
        command.Subcommands.Add(Add(app));
        command.Subcommands.Add(List(app));
        command.Subcommands.Add(Remove(app));
        command.Subcommands.Add(Test(app));
        return command;
    }

    private static Command Add(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The directory whose changes fire the hook." };
        var on = new Option<string>("--on") { Description = "Kinds: create,write,meta,move,delete.", Required = true };
        var url = new Option<string?>("--url") { Description = "The webhook's URL (POST, signed with HMAC-SHA256)." };
        var queue = new Option<string?>("--queue") { Description = "A queue mount to push the events into." };
        var command = new Command("add", "Add a hook; prints its id and signing secret (shown once).") { path, on, url, queue };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var hooks = await HookBackends.OpenAsync(s, ct);
            var kinds = r.GetValue(on)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var h = await hooks.AddAsync(TreePaths.Of(r.GetValue(path)!), kinds, r.GetValue(url), r.GetValue(queue), ct);
            s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{h.Id}\t{h.Path}\t{string.Join(',', h.On)}\t{h.Url ?? h.Queue}"));
            if (h.Secret is not null)
            {
                s.Out.WriteLine("secret: " + h.Secret);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliApp app)
    {
        var command = new Command("ls", "List hooks with their progress and last error.");
        app.SetAction(command, async (s, _, ct) =>
        {
            await using var hooks = await HookBackends.OpenAsync(s, ct);
            foreach (var h in await hooks.ListAsync(ct))
            {
                s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{h.Id}\t{h.Path}\t{string.Join(',', h.On)}\t{h.Url ?? h.Queue}\trev {h.Revision}\t{(h.LastError is null ? "ok" : $"failing ({h.Failures}): {h.LastError}")}"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliApp app)
    {
        var id = new Argument<string>("id");
        var command = new Command("rm", "Remove a hook.") { id };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var hooks = await HookBackends.OpenAsync(s, ct);
            await hooks.RemoveAsync(r.GetValue(id)!, ct);
            s.Out.WriteLine("removed");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Test(CliApp app)
    {
        var id = new Argument<string>("id");
        var command = new Command("test", "Send a test event now and report whether it was delivered.") { id };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var hooks = await HookBackends.OpenAsync(s, ct);
            var error = await hooks.TestAsync(r.GetValue(id)!, ct);
            s.Out.WriteLine(error is null ? "delivered" : "failed: " + error);
            return error is null ? ExitCodes.Ok : ExitCodes.UserError;
        });
        return command;
    }
}
