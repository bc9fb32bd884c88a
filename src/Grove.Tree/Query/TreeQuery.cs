namespace Grove.Tree.Query;

/// <summary>A query: which objects, in what order, how many, and where the previous page ended.</summary>
public sealed record TreeQuery
{
    /// <summary>The filter; null matches everything in scope.</summary>
    public Filter? Filter { get; init; }

    /// <summary>
    /// The directory whose children are searched; null searches the whole index of the root
    /// (objects inside mounts with their own index are searched by giving a directory inside the mount).
    /// </summary>
    public string? Parent { get; init; }

    /// <summary>Sort keys; the object id is always the final tie-breaker, so paging is stable.</summary>
    public IReadOnlyList<SortKey> Sort { get; init; } = [];

    /// <summary>Most objects to return (1 to 10,000).</summary>
    public int Limit { get; init; } = 1000;

    /// <summary>The cursor returned with the previous page (<see cref="Page{T}.Next"/>).</summary>
    public string? After { get; init; }
}
