namespace Grove.Client;

/// <summary>A page of configs, in (tenant, group, dataId) order.</summary>
/// <param name="Items">The configs of the page.</param>
/// <param name="Total">How many match in all.</param>
/// <param name="PageNo">The page number.</param>
/// <param name="PageSize">The page size.</param>
public sealed record GroveConfigPage(IReadOnlyList<GroveConfig> Items, int Total, int PageNo, int PageSize);
