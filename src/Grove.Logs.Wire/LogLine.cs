namespace Grove.Logs;

/// <summary>
/// One line of a task log: its task-relative number (0 for the first line), its time stamp (milliseconds since the
/// Unix epoch, kept apart from the text) and its text (no newline).
/// </summary>
/// <param name="Number">The line's number within its task, from 0.</param>
/// <param name="Timestamp">When the line was produced, in milliseconds since the Unix epoch.</param>
/// <param name="Text">The line's text, without the line break.</param>
public readonly record struct LogLine(long Number, long Timestamp, string Text)
{
    /// <summary>
    /// A <see cref="Timestamp"/> left to the server: the line takes the server's clock when it is stored, and a retry
    /// of it matches the stored line whatever time that line got.
    /// </summary>
    public const long Unstamped = long.MinValue;

    /// <summary>The latest time stamp a line may carry: the end of year 9999, in milliseconds since the Unix epoch.</summary>
    public const long MaxTimestamp = 253_402_300_799_999;
}
