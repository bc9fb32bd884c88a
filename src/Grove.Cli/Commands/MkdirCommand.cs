using System.CommandLine;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove mkdir &lt;path&gt; [-p]</c>: without <c>-p</c> the parent must exist and the directory must not;
/// with it, missing parents are made and an existing directory is fine.
/// </summary>
internal static class MkdirCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The directory to create." };
        var parents = new Option<bool>("--parents", "-p") { Description = "Make missing parents; no error if it exists." };
        var command = new Command("mkdir", "Create a directory.") { path, parents };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await s.OpenAsync(ct);
            var dir = await backend.MkdirAsync(TreePaths.Of(r.GetValue(path)!), r.GetValue(parents), ct);
            s.WriteResult(dir, $"{dir.Path}/".Replace("//", "/", StringComparison.Ordinal));
            return ExitCodes.Ok;
        });
        return command;
    }
}
