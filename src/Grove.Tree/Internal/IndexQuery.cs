using Grove.Tree.Query;

namespace Grove.Tree.Internal;

/// <summary>
/// A query as an indexer runs it. <see cref="Sort"/> always ends with <c>id</c> ascending (the service adds it),
/// and <see cref="After"/>, when set, holds one value per sort key: the sort values of the last row of the previous page.
/// </summary>
internal sealed record IndexQuery(Filter? Filter, IReadOnlyList<SortKey> Sort, int Limit, IReadOnlyList<object?>? After);
