using System.CommandLine;
using Grove.Cli.Output;
using Grove.Tree;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove get &lt;path&gt; [local-file|-]</c>: downloads a file (default: its name in the working folder; into a
/// local directory when one is named; <c>-</c> for stdout). The bytes go to a temporary file renamed into place at the
/// end, so an interrupted get never leaves half a file. Files over 4 MB show a progress bar on a terminal.
/// </summary>
internal static class GetCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The tree file." };
        var local = new Argument<string?>("local-file") { Description = "Where to save it (default: its name here), or - for stdout.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("get", "Download a tree file to a local file (or stdout).") { path, local };
        app.SetAction(command, (s, r, ct) => RunAsync(s, TreePaths.Of(r.GetValue(path)!), r.GetValue(local), ct));
        return command;
    }

    private static async Task<int> RunAsync(CommandSession s, string path, string? local, CancellationToken ct)
    {
        await using var backend = await s.OpenAsync(ct);
        var file = await backend.GetAsync(path, ct);
        if (file.IsDir)
        {
            throw new TreeException(TreeErrorCode.IsADirectory, $"{file.Path} is a directory");
        }

        await using var content = await backend.OpenReadAsync(path, ct);
        if (local == "-")
        {
            await BinaryOutput.CopyAsync(content, s.Out, ct);
            return ExitCodes.Ok;
        }

        var dest = s.Host.LocalPath(local ?? file.Name);
        if (Directory.Exists(dest))
        {
            dest = Path.Join(dest, file.Name);
        }

        var show = TransferProgress.Wanted(s.Host, s.Json, file.Length);
        await TransferProgress.RunAsync(s.Host, show, "get " + file.Name, file.Length, async progress =>
        {
            await LocalFiles.WriteAtomicAsync(dest, async target =>
            {
                var source = progress is null ? content : new ProgressStream(content, progress);
                await source.CopyToAsync(target, 1 << 20, ct);
            });
            return true;
        });

        if (s.Json)
        {
            JsonText.WriteLine(s.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("saved", dest);
                w.WritePropertyName("object");
                ObjectJson.Write(w, file);
                w.WriteEndObject();
            });
        }
        else
        {
            s.Out.WriteLine($"{dest}  {HumanSize.Format(file.Length)}");
        }

        return ExitCodes.Ok;
    }
}
