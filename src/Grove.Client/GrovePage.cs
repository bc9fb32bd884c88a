namespace Grove.Client;

/// <summary>One page of a listing or query, with the cursor of the next page.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="Next">Pass back as <c>after</c> for the next page; null when this was the last one.</param>
public sealed record GrovePage<T>(IReadOnlyList<T> Items, string? Next);
