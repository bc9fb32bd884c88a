using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Grove.Logs.Internal;
using Grove.Logs.Internal.Archive;

namespace Grove.Logs;

public sealed partial class LogService
{
    private const int ScanPage = 4096;

    /// <summary>
    /// Lines matching a substring or a regular expression, streamed in order of number from
    /// <see cref="LogSearch.From"/>, at most <see cref="LogSearch.MaxMatches"/>. Regular expressions run on the
    /// non-backtracking engine (linear time, so a hostile pattern cannot stall the server); a pattern that does not
    /// compile or uses what that engine refuses fails at once with <c>invalid_pattern</c> and the reason.
    /// </summary>
    public IAsyncEnumerable<LogLine> SearchAsync(string taskId, LogSearch search, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        RequireId(taskId);
        if (search.From < 0)
        {
            throw LogException.Range($"from must be 0 or more, not {search.From}");
        }

        if (search.MaxMatches < 1 || search.MaxMatches > _options.MaxSearchMatches)
        {
            throw LogException.Range($"the most matches to return (max) must be 1 to {_options.MaxSearchMatches}, not {search.MaxMatches}");
        }

        var match = Matcher(search);
        return SearchCoreAsync(taskId, search, match, ct);
    }

    private async IAsyncEnumerable<LogLine> SearchCoreAsync(string taskId, LogSearch search, Func<string, bool> match,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var found = 0;
        await foreach (var line in ScanAsync(taskId, search.From, long.MaxValue, ct))
        {
            if (match(line.Text))
            {
                yield return line;
                if (++found >= search.MaxMatches)
                {
                    yield break;
                }
            }
        }
    }

    private Func<string, bool> Matcher(LogSearch search)
    {
        if (string.IsNullOrEmpty(search.Pattern) || search.Pattern.Length > _options.MaxPatternLength)
        {
            throw new LogException(LogErrorCode.InvalidPattern, $"a pattern is 1 to {_options.MaxPatternLength} characters");
        }

        if (!search.Regex)
        {
            var comparison = search.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            var pattern = search.Pattern;
            return text => text.Contains(pattern, comparison);
        }

        Regex regex;
        try
        {
            var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (search.IgnoreCase ? RegexOptions.IgnoreCase : 0);
            regex = new Regex(search.Pattern, options, TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new LogException(LogErrorCode.InvalidPattern, "invalid pattern: " + e.Message, inner: e);
        }

        return text =>
        {
            try
            {
                return regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException e)
            {
                throw new LogException(LogErrorCode.InvalidPattern, "the pattern took too long on one line", inner: e);
            }
        };
    }
}
