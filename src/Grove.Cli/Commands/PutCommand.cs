using System.CommandLine;
using Grove.Cli.Output;
using Grove.Tree;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove put &lt;local-file|-&gt; &lt;path&gt;</c>: uploads a local file (or stdin) as the content of a tree file,
/// creating it and its parents. A target that is an existing directory (or ends in <c>/</c>) receives the local
/// file's name. Files over 4 MB show a progress bar when stderr is a terminal.
/// </summary>
internal static class PutCommand
{
    public static Command Create(CliApp app)
    {
        var source = new Argument<string>("local-file") { Description = "The local file, or - for standard input." };
        var target = new Argument<string>("path") { Description = "The tree path (or an existing directory to put into)." };
        var command = new Command("put", "Upload a local file (or stdin) to a tree path.") { source, target };
        app.SetAction(command, (s, r, ct) => RunAsync(s, r.GetValue(source)!, r.GetValue(target)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(CommandSession s, string source, string target, CancellationToken ct)
    {
        var fromStdin = source == "-";
        var local = fromStdin ? null : s.Host.LocalPath(source);
        if (local is not null && !File.Exists(local))
        {
            throw new CliException(CliErrorCodes.IoError,
                Directory.Exists(local) ? $"'{source}' is a local directory; put takes a file" : $"local file '{source}' not found",
                ExitCodes.Io);
        }

        await using var backend = await s.OpenAsync(ct);
        var path = await TargetAsync(backend, target, fromStdin ? null : Path.GetFileName(local), ct);
        var input = fromStdin
            ? s.Host.In ?? throw CliException.Usage("no standard input to read")
            : new FileStream(local!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        TreeObject written;
        try
        {
            long? length = fromStdin ? null : input.Length;
            var show = TransferProgress.Wanted(s.Host, s.Json, length);
            written = await TransferProgress.RunAsync(s.Host, show, "put " + TreePaths.NameOf(path), length ?? 0,
                progress => backend.WriteAsync(path, input, progress, ct));
        }
        finally
        {
            if (!fromStdin)
            {
                await input.DisposeAsync(); // Standard input belongs to the host.
            }
        }

        s.WriteResult(written, $"{written.Path}  {HumanSize.Format(written.Length)}  sha256:{written.Sha256}");
        return ExitCodes.Ok;
    }

    /// <summary>The tree path to write: the target, or the local name inside it when it is a directory.</summary>
    private static async Task<string> TargetAsync(Backend.ITreeBackend backend, string target, string? localName, CancellationToken ct)
    {
        var path = TreePaths.Of(target);
        var intoDir = target.EndsWith('/') || (await backend.FindAsync(path, ct))?.IsDir == true;
        if (!intoDir)
        {
            return path;
        }

        return localName is null
            ? throw new TreeException(TreeErrorCode.IsADirectory, $"{path} is a directory; name the file to write from stdin")
            : TreeNames.Join(path, localName);
    }
}
