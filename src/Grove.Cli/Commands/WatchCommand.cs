using System.CommandLine;
using System.Globalization;
using Grove.Cli.Output;
using Grove.Tree;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove watch PATH [--from REV] [--count N]</c>: prints committed changes under a path as they happen, one line
/// each (<c>REV KIND PATH</c>, a move as <c>REV move NEW &lt;- OLD</c>; <c>--json</c>: one object a line). A
/// <c>resync</c> line means changes were lost to the feed's retention: re-read, then continue after its revision.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The directory (or file) to watch." };
        var from = new Option<long?>("--from") { Description = "Start after this revision (default: from now)." };
        var count = new Option<int?>("--count") { Description = "Stop after this many changes." };
        var command = new Command("watch", "Follow committed changes under a path (create, write, meta, move, delete).") { path, from, count };
        app.SetAction(command, async (s, r, ct) =>
        {
            var left = r.GetValue(count) ?? int.MaxValue;
            await using var backend = await s.OpenAsync(ct);
            await foreach (var page in backend.WatchAsync(TreePaths.Of(r.GetValue(path)!), r.GetValue(from), ct))
            {
                if (page.Resync)
                {
                    Print(s, null, page.Revision);
                }

                foreach (var c in page.Changes)
                {
                    Print(s, c, c.Revision);
                    if (--left <= 0)
                    {
                        return ExitCodes.Ok;
                    }
                }

                await s.Out.FlushAsync(ct);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(CommandSession s, TreeChange? c, long revision)
    {
        if (s.Json)
        {
            JsonText.WriteLine(s.Out, w =>
            {
                if (c is not null)
                {
                    ChangeJson.Write(w, c);
                    return;
                }

                w.WriteStartObject();
                w.WriteNumber("revision", revision);
                w.WriteString("kind", "resync");
                w.WriteEndObject();
            });
        }
        else if (c is null)
        {
            s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{revision} resync"));
        }
        else
        {
            var old = c.OldPath is null ? "" : " <- " + c.OldPath;
            s.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Revision} {ChangeJson.Name(c.Kind)} {c.Path}{old}"));
        }
    }
}
