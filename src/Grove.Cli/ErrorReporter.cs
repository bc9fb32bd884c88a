using Grove.Client;
using Grove.Tree;

namespace Grove.Cli;

/// <summary>
/// Turns a failure into one line on stderr, <c>grove: &lt;code&gt;: &lt;message&gt;</c>, and an exit code. Stack traces
/// only with <c>GROVE_DEBUG=1</c>.
/// </summary>
internal static class ErrorReporter
{
    public static int Report(CliHost host, Exception e, CancellationToken ct)
    {
        var (line, exit) = e switch
        {
            TreeException t => ($"{t.Code}: {t.Message}", ExitCodeOf(t.Code)),
            CliException c => ($"{c.Code}: {c.Message}", c.ExitCode),
            GroveApiException a => ($"{a.Code}: {a.Message}", ExitCodeOf(a.Code)),
            Grove.Config.ConfigException c => ($"{c.Code}: {c.Message}", ExitCodeOf(c.Code)),
            Grove.Logs.LogException l => ($"{l.Code}: {l.Message}", ExitCodes.UserError),
            Grove.Records.RecordsException r => ($"{r.Code}: {r.Message}", ExitCodes.UserError),
            GroveException g => ($"{g.Code}: {g.Message}", ExitCodes.UserError),
            HttpRequestException h => ($"{CliErrorCodes.Unavailable}: cannot reach the server: {h.Message}", ExitCodes.Unavailable),
            OperationCanceledException when ct.IsCancellationRequested => ("cancelled", ExitCodes.Cancelled),
            UnauthorizedAccessException or IOException => ($"{CliErrorCodes.IoError}: {e.Message}", ExitCodes.Io),
            _ => ($"internal error: {e.GetType().Name}: {e.Message}", ExitCodes.Internal),
        };
        host.Error.WriteLine("grove: " + OneLine(line));
        if (host.Debug)
        {
            host.Error.WriteLine(e.ToString());
        }

        return exit;
    }

    /// <summary>
    /// Exit 3 when the store is busy (locked by another process, or a lock timed out); 69 when a server's store is
    /// unavailable; 2 for any other refusal (a tree error, or a server's <c>unauthorized</c>, <c>forbidden</c>…).
    /// </summary>
    public static int ExitCodeOf(string code) => code switch
    {
        TreeErrorCode.StoreLocked or TreeErrorCode.LockTimeout => ExitCodes.Locked,
        CliErrorCodes.Unavailable => ExitCodes.Unavailable,
        _ => ExitCodes.UserError,
    };

    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
