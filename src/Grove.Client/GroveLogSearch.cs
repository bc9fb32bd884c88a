namespace Grove.Client;

/// <summary>A search over a task's whole log, run on the server.</summary>
public sealed record GroveLogSearch
{
    /// <summary>The text to find, or a .NET regular expression when <see cref="Regex"/> is set (run non-backtracking).</summary>
    public required string Pattern { get; init; }

    /// <summary>Treat <see cref="Pattern"/> as a regular expression.</summary>
    public bool Regex { get; init; }

    /// <summary>Match regardless of case.</summary>
    public bool IgnoreCase { get; init; }

    /// <summary>The first line number to search from (the last match + 1 steps to the next one).</summary>
    public long From { get; init; }

    /// <summary>Stop after this many matches; null for the server's default (1,000).</summary>
    public int? MaxMatches { get; init; }
}
