namespace Grove.Logs;

/// <summary>One page of a task's lines.</summary>
/// <param name="Lines">The lines, in order of number.</param>
/// <param name="From">The first line number asked for.</param>
/// <param name="Next">Where the next page starts (pass it as <c>from</c>); equals <paramref name="Total"/> at the end.</param>
/// <param name="Total">Lines in the log so far (the next line number the task expects).</param>
/// <param name="Finished">True when the task is finished: no line will be added.</param>
/// <param name="Storage">Which copy answered.</param>
public sealed record LogPage(IReadOnlyList<LogLine> Lines, long From, long Next, long Total, bool Finished, LogStorage Storage);
