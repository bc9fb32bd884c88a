namespace Grove.Client;

/// <summary>Which tasks to list (newest first, one page at a time).</summary>
public sealed record GroveLogTaskQuery
{
    /// <summary>Only tasks with this status.</summary>
    public GroveLogStatus? Status { get; init; }

    /// <summary>Only tasks whose name contains this text.</summary>
    public string? Name { get; init; }

    /// <summary>Only tasks carrying all of these labels.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Tasks per page, 1 to 1,000; null for the server's default (100).</summary>
    public int? Limit { get; init; }

    /// <summary>The previous page's <see cref="GrovePage{T}.Next"/>.</summary>
    public string? After { get; init; }
}
