namespace Grove.Cli.Tests.Infrastructure;

/// <summary>What one in-process CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The non-empty lines of stdout.</summary>
    public IReadOnlyList<string> Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The non-empty lines of stderr.</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Fails with both streams when the exit code is not 0; returns this for chaining.</summary>
    public CliResult ShouldSucceed()
    {
        ExitCode.ShouldBe(0, $"stdout: {Out}\nstderr: {Error}");
        return this;
    }

    /// <summary>Fails unless the run failed with <paramref name="exitCode"/> and one stderr line naming <paramref name="code"/>.</summary>
    public CliResult ShouldFail(int exitCode, string code)
    {
        ExitCode.ShouldBe(exitCode, $"stdout: {Out}\nstderr: {Error}");
        ErrorLines.Count.ShouldBe(1, Error);
        ErrorLines[0].ShouldStartWith($"grove: {code}: ");
        return this;
    }

    public override string ToString() => $"exit {ExitCode}; stdout: {Out}; stderr: {Error}";
}
