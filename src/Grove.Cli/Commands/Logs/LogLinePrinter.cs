using System.Globalization;
using Grove.Cli.Output;
using Grove.Logs;

namespace Grove.Cli.Commands.Logs;

/// <summary>
/// Prints log lines as text: the line as stored (its ANSI colours reach the terminal), optionally after its number
/// (<c>N:</c>, counted from 1 like <c>grep -n</c> and the console's viewer) and its ISO-8601 time stamp; <c>--json</c>
/// prints one JSON object a line with the API's 0-based <c>n</c>.
/// </summary>
internal sealed class LogLinePrinter(CommandSession s, bool numbers, bool timestamps)
{
    public void Print(LogLine line)
    {
        if (s.Json)
        {
            JsonText.WriteLine(s.Out, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("n", line.Number);
                w.WriteNumber("t", line.Timestamp);
                w.WriteString("text", line.Text);
                w.WriteEndObject();
            });
            return;
        }

        if (numbers)
        {
            s.Out.Write((line.Number + 1).ToString(CultureInfo.InvariantCulture));
            s.Out.Write(':');
        }

        if (timestamps)
        {
            s.Out.Write(DateTimeOffset.FromUnixTimeMilliseconds(line.Timestamp).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z' ", CultureInfo.InvariantCulture));
        }

        s.Out.WriteLine(line.Text);
    }

    /// <summary>Prints lines as they arrive, flushing whenever the source would wait; returns how many.</summary>
    public async Task<long> PrintAsync(IAsyncEnumerable<LogLine> lines, CancellationToken ct)
    {
        long count = 0;
        await using var e = lines.GetAsyncEnumerator(ct);
        while (true)
        {
            var next = e.MoveNextAsync();
            if (!next.IsCompleted)
            {
                await s.Out.FlushAsync(ct);
            }

            if (!await next)
            {
                break;
            }

            Print(e.Current);
            count++;
        }

        await s.Out.FlushAsync(ct);
        return count;
    }
}
