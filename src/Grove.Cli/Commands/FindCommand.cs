using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Cli.Output;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove find [--in DIR] [--where JSON] [--sort key,-key2] [--limit N] [--after CURSOR]</c>: a query page; when
/// more results remain, <c>next: CURSOR</c> goes to stderr (and into the JSON document as <c>next</c>).
/// </summary>
internal static class FindCommand
{
    public static Command Create(CliApp app)
    {
        var under = new Option<string?>("--in") { Description = "Search this directory's children (default: the whole root index).", HelpName = "dir" };
        var where = new Option<string?>("--where") { Description = "A WnQuery filter, as JSON: '{\"tp\":\"txt\",\"len\":\"[100,)\"}'.", HelpName = "json" };
        var sort = new Option<string?>("--sort") { Description = "Sort keys, comma separated; -key sorts descending.", HelpName = "key,-key2" };
        var limit = new Option<int>("--limit", "-n") { Description = "Results per page (1-10000).", DefaultValueFactory = _ => 1000 };
        var after = new Option<string?>("--after") { Description = "The cursor printed with the previous page.", HelpName = "cursor" };
        var command = new Command("find", "Query objects by metadata, with sort and cursor paging.") { under, where, sort, limit, after };
        app.SetAction(command, async (s, r, ct) =>
        {
            var query = new FindQuery(
                r.GetValue(under) is { } dir ? TreePaths.Of(dir) : null,
                r.GetValue(where),
                r.GetValue(sort),
                r.GetValue(limit),
                r.GetValue(after));
            await using var backend = await s.OpenAsync(ct);
            var page = await backend.QueryAsync(query, ct);
            if (s.Json)
            {
                var json = new JsonPageWriter(s.Out);
                foreach (var o in page.Items)
                {
                    json.Add(o);
                }

                json.End(page.Next);
            }
            else
            {
                s.Out.WriteLine(ObjectTable.Header("PATH"));
                foreach (var o in page.Items)
                {
                    s.Out.WriteLine(ObjectTable.Row(o, o.Path ?? o.Name));
                }
            }

            s.WriteNext(page.Next);
            return ExitCodes.Ok;
        });
        return command;
    }
}
