namespace Grove.Logs;

/// <summary>Which tasks to list, newest first, one page at a time.</summary>
public sealed record LogTaskQuery
{
    /// <summary>Only tasks with this status.</summary>
    public LogTaskStatus? Status { get; init; }

    /// <summary>Only tasks whose name contains this text (<c>*</c> and <c>?</c> in it match any character).</summary>
    public string? Name { get; init; }

    /// <summary>Only tasks carrying all of these labels.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Most tasks per page (1 to 1,000).</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The cursor of the previous page's <see cref="LogTaskPage.Next"/>.</summary>
    public string? After { get; init; }
}
