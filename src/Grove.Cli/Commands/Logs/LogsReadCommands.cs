using System.CommandLine;
using Grove.Cli.Logs;
using Grove.Cli.Output;
using Grove.Client;
using Grove.Logs;

namespace Grove.Cli.Commands.Logs;

/// <summary>
/// Reading task logs: <c>tail</c>, <c>follow</c>, <c>get --from N --limit M</c>, <c>grep</c> and <c>download</c>.
/// Line numbers a person reads or types count from 1, as in the console's viewer and <c>grep -n</c> (the API counts
/// from 0; <c>--json</c> prints the API's numbers).
/// </summary>
internal static class LogsReadCommands
{
    /// <summary>The matches a search returns when <c>--max</c> is not given (the server's and the engine's default).</summary>
    public const int DefaultMaxMatches = 1000;

    public static IEnumerable<Command> Create(CliApp app)
    {
        var id = new Argument<string>("task") { Description = "The task id (printed by grove logs run, listed by grove logs ls)." };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Prefix each line with its time stamp (ISO-8601, UTC)." };
        var numbers = new Option<bool>("--numbers") { Description = "Prefix each line with its number and a colon." };

        var tailN = new Option<int>("-n", "--lines") { Description = "How many of the last lines (default 10).", DefaultValueFactory = _ => 10 };
        var tail = new Command("tail", "Print the last lines of a task log.") { id, tailN, timestamps, numbers };
        app.SetAction(tail, async (s, r, ct) =>
        {
            await using var backend = await LogBackends.OpenAsync(s, ct);
            var page = await backend.TailAsync(r.GetValue(id)!, r.GetValue(tailN), ct);
            var printer = new LogLinePrinter(s, r.GetValue(numbers), r.GetValue(timestamps));
            foreach (var line in page.Lines)
            {
                printer.Print(line);
            }

            return ExitCodes.Ok;
        });

        var followN = new Option<int>("-n", "--lines") { Description = "Start with this many of the last lines (default 10).", DefaultValueFactory = _ => 10 };
        var followFrom = new Option<long?>("--from") { Description = "Start at this line number (from 1) instead.", HelpName = "N" };
        var follow = new Command("follow", "Print a task log as it grows, until the task finishes (like tail -f).") { id, followN, followFrom, timestamps, numbers };
        app.SetAction(follow, async (s, r, ct) =>
        {
            await using var backend = await LogBackends.OpenAsync(s, ct);
            var task = r.GetValue(id)!;
            var from = r.GetValue(followFrom) is { } n ? Offset(n) : Math.Max(0, (await backend.GetAsync(task, ct)).Lines - r.GetValue(followN));
            await new LogLinePrinter(s, r.GetValue(numbers), r.GetValue(timestamps)).PrintAsync(backend.FollowAsync(task, from, ct), ct);
            return ExitCodes.Ok;
        });

        var from = new Option<long>("--from") { Description = "The first line number (from 1, the default).", HelpName = "N", DefaultValueFactory = _ => 1 };
        var limit = new Option<int?>("--limit") { Description = "How many lines (default 1,000; the server caps it).", HelpName = "M" };
        var get = new Command("get", "Print a page of a task log from any line.") { id, from, limit, timestamps, numbers };
        app.SetAction(get, async (s, r, ct) =>
        {
            await using var backend = await LogBackends.OpenAsync(s, ct);
            var page = await backend.ReadAsync(r.GetValue(id)!, Offset(r.GetValue(from)), r.GetValue(limit), ct);
            var printer = new LogLinePrinter(s, r.GetValue(numbers), r.GetValue(timestamps));
            foreach (var line in page.Lines)
            {
                printer.Print(line);
            }

            await s.Error.WriteLineAsync(page.Lines.Count == 0
                ? $"no lines from line {page.From + 1:N0}; the log has {page.Total:N0}"
                : $"lines {page.From + 1:N0}-{page.Next:N0} of {page.Total:N0}{(page.Next < page.Total ? $"; next: --from {page.Next + 1}" : "")}");
            return ExitCodes.Ok;
        });

        var pattern = new Argument<string>("pattern") { Description = "The text to find (a .NET regular expression with -E)." };
        var regex = new Option<bool>("--regex", "-E") { Description = "The pattern is a regular expression (run without backtracking)." };
        var ignoreCase = new Option<bool>("--ignore-case", "-i") { Description = "Match regardless of case." };
        var grepFrom = new Option<long>("--from") { Description = "Search from this line number (from 1, the default).", HelpName = "N", DefaultValueFactory = _ => 1 };
        var max = new Option<int?>("--max", "-m") { Description = $"Stop after this many matches (default {DefaultMaxMatches:N0}; says so on stderr when it stops there).", HelpName = "N" };
        var grep = new Command("grep", "Search a whole task log on the server: matching lines with their numbers (exit 1 when none).") { id, pattern, regex, ignoreCase, grepFrom, max, timestamps };
        app.SetAction(grep, async (s, r, ct) =>
        {
            await using var backend = await LogBackends.OpenAsync(s, ct);
            var search = new GroveLogSearch
            {
                Pattern = r.GetValue(pattern)!,
                Regex = r.GetValue(regex),
                IgnoreCase = r.GetValue(ignoreCase),
                From = Offset(r.GetValue(grepFrom)),
                MaxMatches = r.GetValue(max),
            };
            long last = -1;
            var found = await new LogLinePrinter(s, numbers: true, r.GetValue(timestamps)).PrintAsync(
                Track(backend.SearchAsync(r.GetValue(id)!, search, ct), n => last = n, ct), ct);
            var limit = search.MaxMatches ?? DefaultMaxMatches;
            if (found >= limit)
            {
                // Note that the search stops at the limit whether or not more lines match: say so, and how to go on.
                await s.Error.WriteLineAsync($"stopped at {limit:N0} matches: --max N shows more, --from {last + 2} continues after the last one");
            }

            return found > 0 ? ExitCodes.Ok : ExitCodes.Inconsistent;
        });

        var output = new Argument<string?>("file") { Description = "Where to save the text (default: stdout, or -).", Arity = ArgumentArity.ZeroOrOne };
        var download = new Command("download", "Download a whole task log as text (streamed, gzip on the wire).") { id, output, timestamps };
        app.SetAction(download, async (s, r, ct) =>
        {
            await using var backend = await LogBackends.OpenAsync(s, ct);
            var options = new GroveLogTextOptions { Timestamps = r.GetValue(timestamps) };
            var file = r.GetValue(output);
            if (file is null or "-")
            {
                await DownloadToStdoutAsync(s, backend, r.GetValue(id)!, options, ct);
                return ExitCodes.Ok;
            }

            var dest = s.Host.LocalPath(file);
            var temp = dest + ".grove-part";
            try
            {
                await using (var stream = File.Create(temp))
                {
                    await backend.DownloadAsync(r.GetValue(id)!, stream, options, ct);
                }

                File.Move(temp, dest, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }

            await s.Error.WriteLineAsync($"saved {HumanSize.Format(new FileInfo(dest).Length)} to {dest}");
            return ExitCodes.Ok;
        });

        return [tail, follow, get, grep, download];
    }

    /// <summary>Passes lines through, telling <paramref name="seen"/> each one's number.</summary>
    private static async IAsyncEnumerable<LogLine> Track(IAsyncEnumerable<LogLine> lines, Action<long> seen, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var line in lines.WithCancellation(ct))
        {
            seen(line.Number);
            yield return line;
        }
    }

    /// <summary>The API's 0-based offset of a line number counted from 1.</summary>
    private static long Offset(long lineNumber) => lineNumber >= 1
        ? lineNumber - 1
        : throw new CliException(CliErrorCodes.InvalidArgument, $"--from counts lines from 1, not {lineNumber}");

    private static async Task DownloadToStdoutAsync(CommandSession s, ILogBackend backend, string id, GroveLogTextOptions options, CancellationToken ct)
    {
        if (s.Out is StreamWriter { BaseStream: { CanWrite: true } raw } writer)
        {
            await writer.FlushAsync(ct);
            await backend.DownloadAsync(id, raw, options, ct);
            await raw.FlushAsync(ct);
            return;
        }

        using var buffer = new MemoryStream();
        await backend.DownloadAsync(id, buffer, options, ct);
        buffer.Position = 0;
        await BinaryOutput.CopyAsync(buffer, s.Out, ct);
    }
}
