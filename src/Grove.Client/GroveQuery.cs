namespace Grove.Client;

/// <summary>A metadata query (<c>POST /api/v1/query</c>): a WnQuery filter, sort keys and keyset paging.</summary>
public sealed record GroveQuery
{
    /// <summary>Search this directory's children; null searches the whole tree (results you may not read are left out).</summary>
    public string? Parent { get; init; }

    /// <summary>
    /// The WnQuery filter: a <see cref="System.Text.Json.JsonElement"/>, JSON text (a <see cref="string"/>), or any
    /// value that serializes to a JSON object or array, e.g. <c>new { year = "[2020,2030)", lbls = "final" }</c>.
    /// Null matches everything.
    /// </summary>
    public object? Where { get; init; }

    /// <summary>Sort keys; <c>-key</c> sorts descending, e.g. <c>["-lm", "nm"]</c>.</summary>
    public IReadOnlyList<string> Sort { get; init; } = [];

    /// <summary>Most results of one page (1 to 10,000); null for the server's default (1,000).</summary>
    public int? Limit { get; init; }

    /// <summary>The cursor of the previous page's <see cref="GrovePage{T}.Next"/>.</summary>
    public string? After { get; init; }
}
