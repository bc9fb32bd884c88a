namespace Grove.Tree;

/// <summary>A page of results with the cursor for the next one.</summary>
/// <param name="Items">The results.</param>
/// <param name="Next">Pass as the next call's cursor; null when this was the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
