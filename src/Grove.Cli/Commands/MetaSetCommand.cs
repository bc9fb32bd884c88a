using System.CommandLine;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove meta set &lt;path&gt; key=value …</c>: each value is JSON when it parses as JSON (<c>n=42</c>,
/// <c>ok=true</c>, <c>tags=[1,2]</c>, <c>s='"7"'</c>), else a plain string (<c>title=Hello</c>).
/// </summary>
internal static class MetaSetCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The object." };
        var pairs = new Argument<string[]>("key=value") { Description = "Keys and values; a value is JSON if it parses, else a string.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("set", "Set metadata keys.") { path, pairs };
        app.SetAction(command, async (s, r, ct) =>
        {
            var values = MetaArguments.Parse(r.GetValue(pairs)!);
            await using var backend = await s.OpenAsync(ct);
            var o = await backend.SetMetaAsync(TreePaths.Of(r.GetValue(path)!), values, [], ct);
            s.WriteResult(o, $"{o.Path}  v{o.Version}  set {string.Join(", ", values.Keys)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
