using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Cli.Output;
using Grove.Tree;

namespace Grove.Cli;

/// <summary>One running command: its host streams, whether output is JSON, and how to reach the tree.</summary>
internal sealed class CommandSession
{
    private readonly GlobalOptions _globals;
    private readonly ParseResult _result;

    public CommandSession(CliHost host, GlobalOptions globals, ParseResult result)
    {
        Host = host;
        _globals = globals;
        _result = result;
        Json = result.GetValue(globals.Json);
    }

    public CliHost Host { get; }

    /// <summary>True with <c>--json</c>.</summary>
    public bool Json { get; }

    public TextWriter Out => Host.Out;

    public TextWriter Error => Host.Error;

    /// <summary>The resolved data folder and store.</summary>
    public BackendSettings Settings => _globals.Settings(_result, Host);

    /// <summary>Opens the backend for this command; dispose it before returning (it holds the data folder's lock).</summary>
    public Task<ITreeBackend> OpenAsync(CancellationToken ct, bool create = false) =>
        BackendFactory.OpenAsync(Settings, create, ct);

    /// <summary>Prints a command's resulting object: the wire JSON with <c>--json</c>, else one human line.</summary>
    public void WriteResult(TreeObject result, string human)
    {
        if (Json)
        {
            JsonText.WriteLine(Out, w => ObjectJson.Write(w, result));
        }
        else
        {
            Out.WriteLine(TerminalText.Clean(human));
        }
    }

    /// <summary>Prints the cursor of the next page on stderr, where it does not mix with the results.</summary>
    public void WriteNext(string? next)
    {
        if (next is not null)
        {
            Error.WriteLine($"next: {next}");
        }
    }
}
