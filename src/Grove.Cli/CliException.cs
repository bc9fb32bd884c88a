namespace Grove.Cli;

/// <summary>A failure found by the CLI itself (not the tree): a bad argument, a missing local file, no data folder.</summary>
internal sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CliException(string code, string message, int exitCode = ExitCodes.UserError, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        ExitCode = exitCode;
    }

    /// <summary>A short stable code printed before the message, like the tree's error codes.</summary>
    public string Code { get; }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }

    /// <summary>A bad command-line value that the parser could not catch (exit 64).</summary>
    public static CliException Usage(string message) => new(CliErrorCodes.InvalidArgument, message, ExitCodes.Usage);
}
