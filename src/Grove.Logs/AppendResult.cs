namespace Grove.Logs;

/// <summary>What an append did.</summary>
/// <param name="Accepted">New lines stored.</param>
/// <param name="Duplicates">Lines of the batch that were already stored with the same content (a retried batch).</param>
/// <param name="Next">The next line number the task expects.</param>
public sealed record AppendResult(int Accepted, int Duplicates, long Next);
