using Grove.Tree.Query;

namespace Grove.Tree.Storage;

/// <summary>
/// A query as an indexer runs it. <see cref="Sort"/> always ends with <c>id</c> ascending (the service adds it),
/// and <see cref="After"/>, when set, holds one value per sort key: the sort values of the last row of the previous page.
/// </summary>
/// <param name="Filter">The filter, or null for every row.</param>
/// <param name="Sort">The sort keys, ending with <c>id</c>.</param>
/// <param name="Limit">The most rows to return.</param>
/// <param name="After">The keyset cursor: one value per sort key, or null for the first page.</param>
public sealed record IndexQuery(Filter? Filter, IReadOnlyList<SortKey> Sort, int Limit, IReadOnlyList<object?>? After);
