namespace Grove.Client;

/// <summary>The stable <c>code</c> values of the server's problem answers (docs/api.md); compare <see cref="GroveApiException.Code"/> with them.</summary>
public static class GroveErrorCode
{
    /// <summary>400: an object name is invalid.</summary>
    public const string InvalidName = "invalid_name";

    /// <summary>400: a path is malformed or climbs with <c>..</c>.</summary>
    public const string InvalidPath = "invalid_path";

    /// <summary>400: a path is deeper than 256 names.</summary>
    public const string PathTooDeep = "path_too_deep";

    /// <summary>400: a path is longer than 4,096 UTF-8 bytes.</summary>
    public const string PathTooLong = "path_too_long";

    /// <summary>400: a query filter, sort or limit could not be parsed.</summary>
    public const string InvalidFilter = "invalid_filter";

    /// <summary>400: a mount expression could not be parsed.</summary>
    public const string InvalidMount = "invalid_mount";

    /// <summary>400: a metadata key or value is not allowed.</summary>
    public const string InvalidMeta = "invalid_meta";

    /// <summary>400: a path tries to leave its mount root.</summary>
    public const string PathEscape = "path_escape";

    /// <summary>400: a directory was expected.</summary>
    public const string NotADirectory = "not_a_directory";

    /// <summary>400: a file was expected.</summary>
    public const string IsADirectory = "is_a_directory";

    /// <summary>400: malformed JSON or a bad parameter.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>401: no credential, or a malformed, tampered or expired one; also bad login credentials.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>403: signed in but not allowed (also when the object's existence may not be revealed).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>404: no such object, user, group or key.</summary>
    public const string NotFound = "not_found";

    /// <summary>409: an object of that name exists.</summary>
    public const string AlreadyExists = "already_exists";

    /// <summary>409: the object changed meanwhile (a version or <c>If-Match</c> mismatch).</summary>
    public const string Conflict = "conflict";

    /// <summary>409: a directory still has children and the call was not recursive.</summary>
    public const string NotEmpty = "not_empty";

    /// <summary>409: another writer holds the file.</summary>
    public const string HandleBusy = "handle_busy";

    /// <summary>409: the write handle was superseded or closed.</summary>
    public const string HandleLost = "handle_lost";

    /// <summary>409: a lock could not be taken in time.</summary>
    public const string LockTimeout = "lock_timeout";

    /// <summary>413: the body or the headers are over the server's limit.</summary>
    public const string TooLarge = "too_large";

    /// <summary>416: the asked byte range is outside the content.</summary>
    public const string RangeNotSatisfiable = "range_not_satisfiable";

    /// <summary>429: too many requests or failed logins; see <see cref="GroveApiException.RetryAfter"/>.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>501: a mount type this server does not implement.</summary>
    public const string MountUnsupported = "mount_unsupported";

    /// <summary>501: the store behind the object does not support the operation.</summary>
    public const string NotSupported = "not_supported";

    /// <summary>503: the data folder is held by another process.</summary>
    public const string StoreLocked = "store_locked";

    /// <summary>503: the store cannot be reached; try again.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>409: the task log is finished; it takes no more lines, heartbeats or another finish.</summary>
    public const string Finished = "finished";

    /// <summary>409: a task-log batch starts past the next expected line; resend from <see cref="GroveApiException.Expected"/>.</summary>
    public const string Gap = "gap";

    /// <summary>409: a task-log batch repeats stored lines with other text; <see cref="GroveApiException.Expected"/> is the next line.</summary>
    public const string OverlapMismatch = "overlap_mismatch";

    /// <summary>400: a log line's time stamp is not milliseconds since the Unix epoch (0 to the end of year 9999).</summary>
    public const string InvalidTime = "invalid_time";

    /// <summary>400: a malformed task-log batch (encoding, numbers not consecutive, a newline in a line).</summary>
    public const string InvalidBatch = "invalid_batch";

    /// <summary>400: a negative line number or a page size out of bounds.</summary>
    public const string InvalidRange = "invalid_range";

    /// <summary>400: a search pattern that does not compile or needs backtracking; the detail says why.</summary>
    public const string InvalidPattern = "invalid_pattern";

    /// <summary>400: a bad task name, label, status or query.</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>415: a task-log batch in a media type the server does not take.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>500: stored log data failed its checksum.</summary>
    public const string Corrupt = "corrupt";

    /// <summary>500: a server bug; the server log has the details.</summary>
    public const string Internal = "internal";

    /// <summary>The code of an answer without a problem document, from its status alone.</summary>
    internal static string FromStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        409 => Conflict,
        412 => Conflict,
        413 => TooLarge,
        416 => RangeNotSatisfiable,
        429 => RateLimited,
        501 => NotSupported,
        502 or 503 or 504 => Unavailable,
        _ => Internal,
    };
}
