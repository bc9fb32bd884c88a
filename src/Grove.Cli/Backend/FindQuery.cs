namespace Grove.Cli.Backend;

/// <summary>
/// A query as the user typed it, so a remote backend can pass it on unchanged: the WnQuery filter stays JSON text
/// and the sort stays <c>key,-key2</c> text.
/// </summary>
/// <param name="Parent">Search the children of this directory; null searches the whole root index.</param>
/// <param name="Where">The WnQuery filter as JSON text; null matches everything.</param>
/// <param name="Sort">Sort keys, comma separated; <c>-key</c> sorts descending; null for id order.</param>
/// <param name="Limit">Most results of the page (1 to 10,000).</param>
/// <param name="After">The cursor printed with the previous page.</param>
public sealed record FindQuery(string? Parent, string? Where, string? Sort, int Limit, string? After);
