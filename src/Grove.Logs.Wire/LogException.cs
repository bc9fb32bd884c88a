namespace Grove.Logs;

/// <summary>A failure of a task-log operation, with a stable <see cref="GroveException.Code"/> from <see cref="LogErrorCode"/>.</summary>
public sealed class LogException : GroveException
{
    /// <summary>Creates the exception.</summary>
    public LogException(string code, string message, long? expected = null, Exception? inner = null)
        : base(code, message, inner) => Expected = expected;

    /// <inheritdoc/>
    public override int Status => Code switch
    {
        LogErrorCode.NotFound => 404,
        LogErrorCode.Finished or LogErrorCode.Gap or LogErrorCode.OverlapMismatch => 409,
        LogErrorCode.TooLarge => 413,
        LogErrorCode.UnsupportedMediaType => 415,
        LogErrorCode.Corrupt => 500,
        _ => 400,
    };

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object> Extensions =>
        Expected is { } e ? new Dictionary<string, object> { ["expected"] = e } : base.Extensions;

    /// <summary>
    /// For <see cref="LogErrorCode.Gap"/> and <see cref="LogErrorCode.OverlapMismatch"/>: the next line number the
    /// server expects (the count of lines it holds), so the client resends from there.
    /// </summary>
    public long? Expected { get; }

    /// <summary>A <c>not_found</c> error naming the task.</summary>
    public static LogException NotFound(string taskId) => new(LogErrorCode.NotFound, $"no task '{taskId}'");

    /// <summary>A <c>finished</c> error naming the task.</summary>
    public static LogException Finished(string taskId) => new(LogErrorCode.Finished, $"task '{taskId}' is finished");

    /// <summary>An <c>invalid_range</c> error.</summary>
    public static LogException Range(string message) => new(LogErrorCode.InvalidRange, message);

    /// <summary>An <c>invalid_batch</c> error.</summary>
    public static LogException Batch(string message) => new(LogErrorCode.InvalidBatch, message);

    /// <summary>An <c>invalid_argument</c> error.</summary>
    public static LogException Argument(string message) => new(LogErrorCode.InvalidArgument, message);

    /// <summary>A <c>corrupt</c> error: stored data failed its check.</summary>
    public static LogException Corrupt(string message) => new(LogErrorCode.Corrupt, message);
}
