using System.CommandLine;

namespace Grove.Cli.Commands;

/// <summary><c>grove meta unset &lt;path&gt; key …</c>: removes metadata keys (a missing key is not an error).</summary>
internal static class MetaUnsetCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The object." };
        var keys = new Argument<string[]>("key") { Description = "The keys to remove.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("unset", "Remove metadata keys.") { path, keys };
        app.SetAction(command, async (s, r, ct) =>
        {
            var names = r.GetValue(keys)!;
            await using var backend = await s.OpenAsync(ct);
            var o = await backend.SetMetaAsync(TreePaths.Of(r.GetValue(path)!), new Dictionary<string, System.Text.Json.JsonElement>(), names, ct);
            s.WriteResult(o, $"{o.Path}  v{o.Version}  unset {string.Join(", ", names)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
