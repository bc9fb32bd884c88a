namespace Grove.Testing;

/// <summary>The outcome of <see cref="ProcessRunner.Run"/>.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Both output streams, trimmed, for error messages.</summary>
    public string Output => $"stderr: {Trim(StdErr)}; stdout: {Trim(StdOut)}";

    private static string Trim(string text) =>
        text.Trim() is { Length: > 0 } t ? (t.Length <= 4000 ? t : "..." + t[^4000..]) : "(empty)";
}
