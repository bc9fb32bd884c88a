using Spectre.Console;

namespace Grove.Cli.Output;

/// <summary>
/// A Spectre.Console progress bar on standard error for big transfers. Shown only when standard error is a terminal,
/// the size is known and over the threshold, and output is not <c>--json</c>; otherwise the work runs bare.
/// </summary>
internal static class TransferProgress
{
    /// <summary>Whether a transfer of <paramref name="length"/> bytes (null when unknown) gets a bar.</summary>
    public static bool Wanted(CliHost host, bool json, long? length) =>
        !json && host.ErrorIsTerminal && length is { } n && n > host.ProgressThreshold;

    /// <summary>Runs <paramref name="work"/>, giving it a byte-count reporter when a bar is <paramref name="show"/>n.</summary>
    public static async Task<T> RunAsync<T>(CliHost host, bool show, string label, long total, Func<IProgress<long>?, Task<T>> work)
    {
        if (!show)
        {
            return await work(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(host.Error),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        return await console.Progress()
            .AutoClear(true)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ByteColumns.Transferred(),
                new ByteColumns.Rate(),
                new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, total));
                var result = await work(new Reporter(task));
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Sets the bar directly (Spectre tasks are thread-safe), with no synchronization context to post to.</summary>
    private sealed class Reporter(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}
