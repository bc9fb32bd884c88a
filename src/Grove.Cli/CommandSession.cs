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
        BackendFactory.OpenAsync(Settings, Host, create, ct);

    /// <summary>The server of <c>--server</c> or <c>GROVE_SERVER</c>, or null for local mode.</summary>
    public Uri? Server => _globals.ServerOf(_result, Host);

    /// <summary>The server, for verbs that only make sense against one (login, users, keys…).</summary>
    public Uri RequireServer(string verb) =>
        Server ?? throw CliException.Usage($"'grove {verb}' talks to a server: pass --server URL or set GROVE_SERVER");

    /// <summary>The raw <c>--data</c> and <c>--store</c> values as typed (or from the environment), null when not given.</summary>
    public (string? Data, string? Store) TypedStore =>
        (Blank(_result.GetValue(_globals.Data)) ?? Blank(Host.Environment("GROVE_DATA")),
         Blank(_result.GetValue(_globals.Store)) ?? Blank(Host.Environment("GROVE_STORE")));

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

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Prints the cursor of the next page on stderr, where it does not mix with the results.</summary>
    public void WriteNext(string? next)
    {
        if (next is not null)
        {
            Error.WriteLine($"next: {next}");
        }
    }
}
