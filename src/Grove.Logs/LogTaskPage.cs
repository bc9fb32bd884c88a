namespace Grove.Logs;

/// <summary>A page of tasks and the cursor of the next page (null at the end).</summary>
public sealed record LogTaskPage(IReadOnlyList<LogTask> Items, string? Next);
