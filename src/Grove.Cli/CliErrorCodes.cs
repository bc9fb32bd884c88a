namespace Grove.Cli;

/// <summary>Error codes of failures the CLI finds itself; tree failures use <see cref="Grove.Tree.TreeErrorCode"/>.</summary>
internal static class CliErrorCodes
{
    /// <summary>A command-line value is malformed (<c>meta set</c> without <c>=</c>, for instance).</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>The data folder holds no Grove index yet; run <c>grove init</c>.</summary>
    public const string NotInitialized = "not_initialized";

    /// <summary>The server could not be reached (refused, timed out, name not found).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>A local file or folder could not be read or written.</summary>
    public const string IoError = "io_error";
}
