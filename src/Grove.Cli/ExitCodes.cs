namespace Grove.Cli;

/// <summary>The process exit codes of <c>grove</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The command ran but found a problem: <c>fsck</c> reports an inconsistent store.</summary>
    public const int Inconsistent = 1;

    /// <summary>The request was refused: a tree error such as <c>not_found</c> or <c>not_empty</c>.</summary>
    public const int UserError = 2;

    /// <summary>The store is busy: the data folder is locked by another process, or a lock timed out.</summary>
    public const int Locked = 3;

    /// <summary>The server cannot be reached, or answered that its store is unavailable (EX_UNAVAILABLE).</summary>
    public const int Unavailable = 69;

    /// <summary>The command line could not be parsed (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>An unexpected failure, a bug (EX_SOFTWARE).</summary>
    public const int Internal = 70;

    /// <summary>A local file could not be read or written (EX_IOERR).</summary>
    public const int Io = 74;

    /// <summary>Interrupted (Ctrl+C), as a shell reports SIGINT.</summary>
    public const int Cancelled = 130;
}
