namespace Grove.Client;

/// <summary>What an append did.</summary>
/// <param name="Accepted">New lines stored.</param>
/// <param name="Duplicates">Lines already stored with the same content (a retried batch).</param>
/// <param name="Next">The next line number the task expects.</param>
public sealed record GroveLogAppend(int Accepted, int Duplicates, long Next);
