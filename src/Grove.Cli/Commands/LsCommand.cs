using System.CommandLine;
using Grove.Cli.Output;
using Grove.Tree;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove ls [path] [--limit N] [--after NAME] [--all]</c>: a directory's children in name order, a page at a
/// time (keyset paging), printed as each page arrives. Without <c>--all</c> one page is shown and the name to pass
/// as <c>--after</c> for the next goes to stderr; with <c>--all</c> every page is streamed.
/// </summary>
internal static class LsCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The directory (default /).", DefaultValueFactory = _ => "/" };
        var limit = new Option<int>("--limit", "-n") { Description = "Children per page (1-10000).", DefaultValueFactory = _ => 1000 };
        var after = new Option<string?>("--after") { Description = "Start after this child name (from a previous page).", HelpName = "name" };
        var all = new Option<bool>("--all", "-a") { Description = "Stream every page, not only the first." };
        var command = new Command("ls", "List a directory: mode, size, modified, name.") { path, limit, after, all };
        app.SetAction(command, (s, r, ct) => RunAsync(s, TreePaths.Of(r.GetValue(path)!), r.GetValue(limit), r.GetValue(after), r.GetValue(all), ct));
        return command;
    }

    private static async Task<int> RunAsync(CommandSession s, string path, int limit, string? after, bool all, CancellationToken ct)
    {
        await using var backend = await s.OpenAsync(ct);
        var dir = await backend.GetAsync(path, ct);
        var json = s.Json ? new JsonPageWriter(s.Out) : null;
        if (json is null)
        {
            s.Out.WriteLine(ObjectTable.Header("NAME"));
        }

        if (!dir.IsDir)
        {
            Write(s, json, dir);
            json?.End(null);
            return ExitCodes.Ok;
        }

        string? next;
        do
        {
            var page = await backend.ListAsync(path, after, limit, ct);
            foreach (var child in page.Items)
            {
                Write(s, json, child);
            }

            next = after = page.Next;
            await s.Out.FlushAsync(ct);
        }
        while (all && next is not null);

        json?.End(next);
        s.WriteNext(next);
        return ExitCodes.Ok;
    }

    private static void Write(CommandSession s, JsonPageWriter? json, TreeObject o)
    {
        if (json is not null)
        {
            json.Add(o);
        }
        else
        {
            s.Out.WriteLine(ObjectTable.Row(o, o.Name));
        }
    }
}
