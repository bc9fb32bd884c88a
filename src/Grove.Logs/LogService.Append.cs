using System.Text;
using Grove.Logs.Internal;

namespace Grove.Logs;

public sealed partial class LogService
{
    /// <summary>
    /// Appends a batch of lines with consecutive numbers. Idempotent by line number: lines already stored are
    /// compared and skipped (a retried batch is applied once), a mismatch fails with <c>overlap_mismatch</c>, and a
    /// batch starting past the next expected line fails with <c>gap</c> carrying that line in
    /// <see cref="LogException.Expected"/>. A line over <see cref="LogOptions.MaxLineBytes"/> keeps its head and tail
    /// around a marker. The batch is stored whole or not at all, and durable when this returns.
    /// </summary>
    public async Task<AppendResult> AppendAsync(string taskId, IReadOnlyList<LogLine> lines, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        RequireId(taskId);
        if (lines.Count == 0)
        {
            var task = await GetAsync(taskId, ct);
            return new AppendResult(0, 0, task.Lines);
        }

        var (checkedLines, cut) = CheckBatch(lines);
        for (var attempt = 0; ; attempt++)
        {
            AppendPlan? plan;
            try
            {
                plan = await _live.AppendAsync(taskId, checkedLines, cut, Now, ct);
            }
            catch (LiveTaskGoneException)
            {
                throw LogException.Finished(taskId);
            }

            if (plan is not null)
            {
                Interlocked.Add(ref Counters._linesAppended, plan.Accepted);
                return new AppendResult(plan.Accepted, plan.Duplicates, plan.After.Next);
            }

            if (attempt > 0)
            {
                throw LogException.Finished(taskId);
            }

            await EnsureLiveAsync(taskId, ct);
        }
    }

    /// <summary>Checks a batch's shape and sizes; cuts over-long lines (returning which ones).</summary>
    private (IReadOnlyList<LogLine> Lines, List<int>? Cut) CheckBatch(IReadOnlyList<LogLine> lines)
    {
        if (lines.Count > _options.MaxBatchLines)
        {
            throw new LogException(LogErrorCode.TooLarge, $"a batch holds at most {_options.MaxBatchLines} lines");
        }

        long total = 0;
        List<int>? cut = null;
        LogLine[]? copy = null;
        var first = lines[0].Number;
        if (first < 0)
        {
            throw LogException.Batch("line numbers start at 0");
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Number != first + i)
            {
                throw LogException.Batch($"line numbers in a batch must be consecutive: expected {first + i}, got {line.Number}");
            }

            if (line.Timestamp is < 0 or > LogLine.MaxTimestamp && line.Timestamp != LogLine.Unstamped)
            {
                throw new LogException(LogErrorCode.InvalidTime,
                    $"line {line.Number} has the time stamp {line.Timestamp}; a time stamp is milliseconds since the Unix epoch, 0 to {LogLine.MaxTimestamp}");
            }

            if (line.Text is null || line.Text.Contains('\n', StringComparison.Ordinal))
            {
                throw LogException.Batch($"line {line.Number} is null or holds a newline; send one line per entry");
            }

            var bytes = line.Text.Length <= _options.MaxLineBytes / 3 ? line.Text.Length : Encoding.UTF8.GetByteCount(line.Text);
            total += bytes;
            if (total > _options.MaxBatchBytes)
            {
                throw new LogException(LogErrorCode.TooLarge, $"a batch holds at most {_options.MaxBatchBytes} bytes of text");
            }

            if (bytes > _options.MaxLineBytes)
            {
                copy ??= [.. lines];
                copy[i] = line with { Text = LineLimit.Cut(line.Text, bytes, _options.MaxLineBytes) };
                (cut ??= []).Add(i);
            }
        }

        return (copy ?? lines, cut);
    }
}
