namespace Grove.Logs;

/// <summary>A failure of a task-log operation, with a stable <see cref="Code"/> from <see cref="LogErrorCode"/>.</summary>
public sealed class LogException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LogException(string code, string message, long? expected = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Expected = expected;
    }

    /// <summary>The stable error code, one of <see cref="LogErrorCode"/>.</summary>
    public string Code { get; }

    /// <summary>
    /// For <see cref="LogErrorCode.Gap"/> and <see cref="LogErrorCode.OverlapMismatch"/>: the next line number the
    /// server expects (the count of lines it holds), so the client resends from there.
    /// </summary>
    public long? Expected { get; }

    internal static LogException NotFound(string taskId) => new(LogErrorCode.NotFound, $"no task '{taskId}'");

    internal static LogException Finished(string taskId) => new(LogErrorCode.Finished, $"task '{taskId}' is finished");

    internal static LogException Range(string message) => new(LogErrorCode.InvalidRange, message);

    internal static LogException Batch(string message) => new(LogErrorCode.InvalidBatch, message);

    internal static LogException Argument(string message) => new(LogErrorCode.InvalidArgument, message);

    internal static LogException Corrupt(string message) => new(LogErrorCode.Corrupt, message);
}
