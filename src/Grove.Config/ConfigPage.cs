namespace Grove.Config;

/// <summary>A page of configs in (tenant, group, dataId) order.</summary>
/// <param name="Items">The configs of this page.</param>
/// <param name="Total">How many configs match in all.</param>
/// <param name="PageNo">The page number, from 1.</param>
/// <param name="PageSize">The page size.</param>
public sealed record ConfigPage(IReadOnlyList<ConfigItem> Items, int Total, int PageNo, int PageSize)
{
    /// <summary>How many pages there are (Nacos's <c>pagesAvailable</c>).</summary>
    public int Pages => PageSize <= 0 ? 0 : (Total + PageSize - 1) / PageSize;
}
