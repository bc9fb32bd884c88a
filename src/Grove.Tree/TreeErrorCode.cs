namespace Grove.Tree;

/// <summary>Stable error codes. They appear in CLI messages and HTTP problem documents, so never rename one.</summary>
public static class TreeErrorCode
{
    /// <summary>An object name is empty, <c>.</c>, <c>..</c>, holds <c>/</c> or NUL, or is over 255 UTF-8 bytes.</summary>
    public const string InvalidName = "invalid_name";

    /// <summary>A path is malformed (not absolute, or with an invalid segment).</summary>
    public const string InvalidPath = "invalid_path";

    /// <summary>A path holds more names than <see cref="TreeNames.MaxDepth"/>.</summary>
    public const string PathTooDeep = "path_too_deep";

    /// <summary>A path is longer than <see cref="TreeNames.MaxPathBytes"/> UTF-8 bytes.</summary>
    public const string PathTooLong = "path_too_long";

    /// <summary>No object at that path or id.</summary>
    public const string NotFound = "not_found";

    /// <summary>An object of that name already exists in the directory.</summary>
    public const string AlreadyExists = "already_exists";

    /// <summary>A directory was expected.</summary>
    public const string NotADirectory = "not_a_directory";

    /// <summary>A file was expected.</summary>
    public const string IsADirectory = "is_a_directory";

    /// <summary>A directory still has children and the operation was not recursive.</summary>
    public const string NotEmpty = "not_empty";

    /// <summary>The object changed under the operation (optimistic concurrency), or the move would make a cycle.</summary>
    public const string Conflict = "conflict";

    /// <summary>Another write handle holds the object.</summary>
    public const string HandleBusy = "handle_busy";

    /// <summary>The write handle was superseded (fenced off) or closed.</summary>
    public const string HandleLost = "handle_lost";

    /// <summary>A query filter or sort could not be parsed.</summary>
    public const string InvalidFilter = "invalid_filter";

    /// <summary>A mount expression could not be parsed or names an unknown type.</summary>
    public const string InvalidMount = "invalid_mount";

    /// <summary>A mount type that parses but that this version does not implement.</summary>
    public const string MountUnsupported = "mount_unsupported";

    /// <summary>A path tries to leave its mount root (<c>..</c> or a symbolic link).</summary>
    public const string PathEscape = "path_escape";

    /// <summary>A metadata key or value is not allowed (reserved key, bad key name, too large).</summary>
    public const string InvalidMeta = "invalid_meta";

    /// <summary>The operation is not supported by the store behind this object.</summary>
    public const string NotSupported = "not_supported";

    /// <summary>The data folder is held by another process.</summary>
    public const string StoreLocked = "store_locked";

    /// <summary>A lock could not be taken in time.</summary>
    public const string LockTimeout = "lock_timeout";

    /// <summary>The store string is malformed, or no provider serves its kind.</summary>
    public const string InvalidStore = "invalid_store";

    /// <summary>A storage service (an object store, Redis) cannot be reached or keeps failing; retry later.</summary>
    public const string StorageUnavailable = "storage_unavailable";

    /// <summary>A storage service refused the request (wrong credentials, no such bucket, access denied).</summary>
    public const string StorageRefused = "storage_refused";

    /// <summary>The content is larger than the bucket accepts.</summary>
    public const string ContentTooLarge = "content_too_large";
}
