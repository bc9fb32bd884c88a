namespace Grove.Logs;

/// <summary>Stable codes of <see cref="LogException"/>; the server maps them to HTTP statuses, so never rename one.</summary>
public static class LogErrorCode
{
    /// <summary>No such task (404).</summary>
    public const string NotFound = "not_found";

    /// <summary>The task is finished: it takes no more lines, heartbeats or finishes (409).</summary>
    public const string Finished = "finished";

    /// <summary>The batch starts after the next expected line; <see cref="LogException.Expected"/> says where to resend from (409).</summary>
    public const string Gap = "gap";

    /// <summary>The batch repeats stored lines with different content (409); <see cref="LogException.Expected"/> is the next expected line.</summary>
    public const string OverlapMismatch = "overlap_mismatch";

    /// <summary>A batch over the byte or line limit (413).</summary>
    public const string TooLarge = "too_large";

    /// <summary>A malformed batch: bad encoding, line numbers not consecutive, a line holding a newline (400).</summary>
    public const string InvalidBatch = "invalid_batch";

    /// <summary>A line's time stamp is not milliseconds since the Unix epoch between 0 and the end of year 9999 (400).</summary>
    public const string InvalidTime = "invalid_time";

    /// <summary>A negative line number or a page size out of bounds (400).</summary>
    public const string InvalidRange = "invalid_range";

    /// <summary>A search pattern that does not compile, is too long or uses what the safe engine refuses (400).</summary>
    public const string InvalidPattern = "invalid_pattern";

    /// <summary>A bad task name, label, status or query (400).</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>A batch in a content type the server does not read (415).</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>Stored data failed its checksum (500): the archive or live record is damaged.</summary>
    public const string Corrupt = "corrupt";
}
