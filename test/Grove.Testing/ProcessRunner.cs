using System.ComponentModel;
using System.Diagnostics;

namespace Grove.Testing;

/// <summary>Runs a program to completion with a time limit, capturing its output.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/>. Throws when it cannot start or outlives
    /// <paramref name="timeout"/> (it is then killed); with <paramref name="check"/>, also when it exits non-zero.
    /// </summary>
    public static ProcessResult Run(
        string file, IReadOnlyList<string> args, TimeSpan timeout, string? workDir = null, bool check = true)
    {
        var commandLine = string.Join(' ', args.Prepend(file).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workDir ?? "",
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start '{commandLine}'");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not start '{commandLine}': {e.Message}", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It ended meanwhile.
                }

                var partial = Collect(commandLine, -1, stdout, stderr);
                throw new TimeoutException(
                    $"'{commandLine}' did not finish within {timeout.TotalSeconds:0} s and was killed; {partial.Output}");
            }

            var result = Collect(commandLine, process.ExitCode, stdout, stderr);
            return !check || result.ExitCode == 0
                ? result
                : throw new InvalidOperationException($"'{commandLine}' failed with exit code {result.ExitCode}; {result.Output}");
        }
    }

    private static ProcessResult Collect(string commandLine, int exitCode, Task<string> stdout, Task<string> stderr)
    {
        // A grandchild that kept the pipes open must not hang us: take what has arrived within a few seconds.
        try
        {
            Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Reported below as missing output.
        }

        return new ProcessResult(commandLine, exitCode, Text(stdout), Text(stderr));
    }

    private static string Text(Task<string> task) =>
        task.IsCompletedSuccessfully ? task.Result : "(output not available: the stream stayed open)";
}
