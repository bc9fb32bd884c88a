using System.CommandLine;
using System.CommandLine.Help;

namespace Grove.Cli;

/// <summary>The <c>grove</c> command line, runnable in-process: <see cref="Program"/> and the tests both call it.</summary>
public static class GroveCli
{
    /// <summary>
    /// Runs one command line and returns its exit code: 0 success, 1 fsck found the store inconsistent, 2 a tree
    /// error or a server's refusal (<c>not_found</c>, <c>not_empty</c>, <c>unauthorized</c>…), 3 the store is locked,
    /// 64 a usage error, 69 the server cannot be reached, 70 an internal error, 74 a local I/O error, 130 cancelled. Failures print one line on <paramref name="stderr"/>.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Stream? stdin = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var host = new CliHost
        {
            Out = stdout,
            Error = stderr,
            In = stdin,
            ErrorIsTerminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected,
        };
        return RunAsync(args, host, ct);
    }

    /// <summary>Runs one command line against an explicit host (streams, environment, working folder).</summary>
    internal static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            var root = new CliApp(host).BuildRoot();
            var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
            {
                host.Error.WriteLine($"grove: usage: {UsageMessage(parsed)} (see 'grove --help')");
                return ExitCodes.Usage;
            }

            var invocation = new InvocationConfiguration
            {
                Output = host.Out,
                Error = host.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parsed.InvokeAsync(invocation, ct);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(host, e, ct);
        }
        finally
        {
            await host.Out.FlushAsync(CancellationToken.None);
            await host.Error.FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>The parse errors in one line; an unknown word hides the "required command" error it causes.</summary>
    private static string UsageMessage(ParseResult parsed)
    {
        var messages = parsed.Errors.Select(e => ErrorReporter.OneLine(e.Message).TrimEnd('.')).Distinct().ToList();
        var unknown = messages.Where(m => m.StartsWith("Unrecognized", StringComparison.Ordinal)).ToList();
        return string.Join("; ", unknown.Count > 0 ? unknown : messages);
    }
}
