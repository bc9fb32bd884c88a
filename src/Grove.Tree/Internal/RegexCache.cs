using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Grove.Tree.Internal;

/// <summary>
/// Compiled filter regexes. Patterns run with <see cref="RegexOptions.NonBacktracking"/>, so a hostile pattern
/// cannot take exponential time; patterns that need backtracking (backreferences, lookarounds) are rejected.
/// The SQLite indexer's <c>regexp</c> function uses this cache so SQL and memory agree.
/// </summary>
internal static class RegexCache
{
    private const int Capacity = 512;
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>The compiled pattern; throws <see cref="TreeErrorCode.InvalidFilter"/> when it is not valid.</summary>
    public static Regex Get(string pattern, string key = "regex")
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern, Options);
        }
        catch (ArgumentException e)
        {
            throw FilterError.Key(key, $"bad regular expression '{pattern}': {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw FilterError.Key(key, $"regular expression '{pattern}' uses an unsupported construct: {e.Message}", e);
        }

        if (Cache.Count >= Capacity)
        {
            Cache.Clear();
        }

        return Cache.GetOrAdd(pattern, regex);
    }

    /// <summary>The SQL <c>regexp(pattern, value)</c> function: false for null or non-text values.</summary>
    public static bool IsMatch(string pattern, object? input) => input is string s && Get(pattern).IsMatch(s);
}
