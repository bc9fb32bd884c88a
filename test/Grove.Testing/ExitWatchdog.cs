namespace Grove.Testing;

/// <summary>
/// Cleanup that survives the test process being killed: a detached shell (own session, stdio on /dev/null) waits
/// for this process to end, then runs a command and deletes a folder. The test host is often killed right after
/// the run, before <see cref="AppDomain.ProcessExit"/> handlers finish, so those alone would leak servers.
/// </summary>
public static class ExitWatchdog
{
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        pid=$1; dir=$2; shift 2
        while kill -0 "$pid"; do sleep 1; done
        "$@"
        rm -rf -- "$dir"
        """;

    /// <summary>
    /// Once this process has exited, runs <paramref name="command"/> (if any) and then deletes <paramref name="folder"/>.
    /// Returns false where it cannot be arranged (Windows, no setsid).
    /// </summary>
    public static bool Arrange(string folder, IReadOnlyList<string> command)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            string[] args = ["-f", "sh", "-c", Script, "sh", Environment.ProcessId.ToString(), folder, .. command];
            return ProcessRunner.Run("setsid", args, TimeSpan.FromSeconds(10), check: false).ExitCode == 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
