using System.Text.Json;

namespace Grove.Records;

/// <summary>
/// A find over a record set (seed 002's DolerFindAll / DolerQueryAllTop): a filter, sort keys, a projection, how many
/// history tables to include, and a page by keyset cursor (<see cref="After"/>) or by number (<see cref="Page"/>).
/// </summary>
public sealed record RecordQuery
{
    /// <summary>
    /// The filter, a JSON object over mapped fields (WnQuery forms): <c>{"f": v}</c> equality (null: IS NULL),
    /// <c>{"f": [a, b]}</c> one of, <c>{"f": {"$gt": x, "$lte": y, "$ne": z, "$in": [...], "$nin": [...]}}</c>,
    /// <c>{"f": "[10,20)"}</c> a range on a number field, and <c>{"$or": [filter, ...]}</c> / <c>{"$and": [...]}</c>.
    /// </summary>
    public JsonElement? Where { get; init; }

    /// <summary>Sort keys: <c>name</c> or <c>name asc</c> ascending, <c>-name</c> or <c>name desc</c> descending. The key is appended to make the order total.</summary>
    public IReadOnlyList<string>? Sort { get; init; }

    /// <summary>The fields to return; null: all.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>History tables to include: 0 the main table only, N the N most recent, null all.</summary>
    public int? History { get; init; }

    /// <summary>The page size (capped by <see cref="RecordsOptions.MaxPageSize"/>).</summary>
    public int? Limit { get; init; }

    /// <summary>The cursor of the previous page (<see cref="RecordPage.Next"/>).</summary>
    public string? After { get; init; }

    /// <summary>A page number (1-based), instead of a cursor; deep pages are bounded by <see cref="RecordsOptions.MaxPageOffset"/>.</summary>
    public int? Page { get; init; }

    /// <summary>Whether to count every matching row (<see cref="RecordPage.Total"/>).</summary>
    public bool Count { get; init; }
}

/// <summary>A page of rows in the query's global order.</summary>
/// <param name="Items">The rows.</param>
/// <param name="Next">The cursor of the next page, or null at the end.</param>
/// <param name="Total">Every matching row across the tables searched, when asked.</param>
public sealed record RecordPage(IReadOnlyList<RecordRow> Items, string? Next, long? Total);
