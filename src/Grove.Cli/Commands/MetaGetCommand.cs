using System.CommandLine;
using System.Text.Json;
using Grove.Cli.Output;
using Grove.Tree;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove meta get &lt;path&gt; [key]</c>: without a key, the custom metadata as <c>key = json</c> lines; with one,
/// that value (strings bare, anything else as JSON). Built-in keys (<c>len</c>, <c>lbls</c>…) can be read by name.
/// </summary>
internal static class MetaGetCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The object." };
        var key = new Argument<string?>("key") { Description = "One key to print (default: all custom keys).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("get", "Print an object's custom metadata, or one key's value.") { path, key };
        app.SetAction(command, async (s, r, ct) =>
        {
            TreeObject o;
            await using (var backend = await s.OpenAsync(ct))
            {
                o = await backend.GetAsync(TreePaths.Of(r.GetValue(path)!), ct);
            }

            if (r.GetValue(key) is { } name)
            {
                WriteOne(s, o, name);
            }
            else
            {
                WriteAll(s, o);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteAll(CommandSession s, TreeObject o)
    {
        var meta = o.Meta.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        if (s.Json)
        {
            JsonText.WriteLine(s.Out, w =>
            {
                w.WriteStartObject();
                foreach (var (k, v) in meta)
                {
                    w.WritePropertyName(k);
                    v.WriteTo(w);
                }

                w.WriteEndObject();
            });
            return;
        }

        foreach (var (k, v) in meta)
        {
            s.Out.WriteLine($"{k} = {TerminalText.Clean(v.GetRawText())}");
        }
    }

    private static void WriteOne(CommandSession s, TreeObject o, string key)
    {
        var value = o.Meta.TryGetValue(key, out var custom)
            ? custom
            : TreeObject.BuiltInKeys.Contains(key) && o.Get(key) is { } builtIn
                ? JsonSerializer.SerializeToElement(builtIn)
                : throw new CliException(TreeErrorCode.NotFound, $"{o.Path} has no key '{key}'");
        if (s.Json)
        {
            JsonText.WriteLine(s.Out, w =>
            {
                w.WriteStartObject();
                w.WritePropertyName(key);
                value.WriteTo(w);
                w.WriteEndObject();
            });
        }
        else
        {
            s.Out.WriteLine(TerminalText.Clean(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()));
        }
    }
}
