using System.Text;

namespace Grove.Cli;

/// <summary>The <c>grove</c> executable: the real console wired to <see cref="GroveCli"/>.</summary>
public static class Program
{
    /// <summary>Runs the command line; Ctrl+C cancels the running command (exit 130).</summary>
    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        // A StreamWriter over the raw stdout lets cat and get - write file bytes unchanged.
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await using var stdout = new StreamWriter(Console.OpenStandardOutput(), utf8, 64 * 1024) { AutoFlush = false };
        var host = new CliHost
        {
            Out = stdout,
            Error = Console.Error,
            In = Console.OpenStandardInput(),
            ErrorIsTerminal = !Console.IsErrorRedirected,
            ReadSecret = Console.IsInputRedirected ? null : SecretPrompt.Read,
        };
        return await GroveCli.RunAsync(args, host, cts.Token);
    }
}
