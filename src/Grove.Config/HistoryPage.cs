namespace Grove.Config;

/// <summary>A page of history entries, newest first.</summary>
/// <param name="Items">The entries of this page (without content).</param>
/// <param name="Total">How many entries there are in all (up to the listing bound).</param>
/// <param name="PageNo">The page number, from 1.</param>
/// <param name="PageSize">The page size.</param>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, int Total, int PageNo, int PageSize);
