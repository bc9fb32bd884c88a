using System.CommandLine;
using Grove.Tree;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove mv &lt;from&gt; &lt;to&gt;</c>: moves or renames. When <c>to</c> is an existing directory the object moves
/// into it under its own name, as Unix <c>mv</c> does; otherwise <c>to</c> is the new path and must not exist.
/// </summary>
internal static class MvCommand
{
    public static Command Create(CliApp app)
    {
        var from = new Argument<string>("from") { Description = "The object to move." };
        var to = new Argument<string>("to") { Description = "The new path, or an existing directory to move into." };
        var command = new Command("mv", "Move or rename an object.") { from, to };
        app.SetAction(command, async (s, r, ct) =>
        {
            var source = TreePaths.Of(r.GetValue(from)!);
            var dest = TreePaths.Of(r.GetValue(to)!);
            await using var backend = await s.OpenAsync(ct);
            if (await backend.FindAsync(dest, ct) is { IsDir: true } dir)
            {
                dest = TreeNames.Join(dir.Path ?? dest, TreePaths.NameOf(source));
            }

            var moved = await backend.MoveAsync(source, dest, ct);
            s.WriteResult(moved, $"{TreeNames.Normalize(source)} -> {moved.Path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
