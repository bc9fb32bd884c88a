using System.CommandLine;
using Grove.Tree;
using Grove.Tree.Storage;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove mount &lt;path&gt; &lt;expression&gt;</c>: mounts <c>mem</c>, <c>lbm(Name)</c>, <c>mem://lbm(Name)</c> or
/// <c>file:///abs/folder</c> on an empty directory. Types not implemented yet fail with <c>mount_unsupported</c>.
/// </summary>
internal static class MountCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "An empty directory; created when missing." };
        var expression = new Argument<string>("expression") { Description = "The mount: mem, lbm(Name), mem://lbm(Name), file:///abs/folder." };
        var command = new Command("mount", "Mount an index or storage on an empty directory.") { path, expression };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await s.OpenAsync(ct);
            var target = TreePaths.Of(r.GetValue(path)!);
            var expr = r.GetValue(expression)!;
            // Note that a missing directory is created, as mkdir -p would, by the mount itself and only once every
            // check passed: a refused mount leaves nothing behind.
            var dir = await backend.MountAsync(target, expr, ct);
            s.WriteResult(dir, $"mounted {dir.Mount} on {dir.Path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
