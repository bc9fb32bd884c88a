namespace Grove.Logs;

/// <summary>A search over a task's log.</summary>
public sealed record LogSearch
{
    /// <summary>The text to find, or a regular expression when <see cref="Regex"/> is set.</summary>
    public required string Pattern { get; init; }

    /// <summary>Treat <see cref="Pattern"/> as a .NET regular expression (run by the non-backtracking engine).</summary>
    public bool Regex { get; init; }

    /// <summary>Match regardless of case.</summary>
    public bool IgnoreCase { get; init; }

    /// <summary>The first line number to search from (to step to the next match, pass the last match's number + 1).</summary>
    public long From { get; init; }

    /// <summary>Stop after this many matches (1 to <see cref="LogOptions.MaxSearchMatches"/>).</summary>
    public int MaxMatches { get; init; } = 1000;
}
