using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Grove.Cli.Logs;
using Grove.Client;

namespace Grove.Cli.Commands.Logs;

/// <summary>
/// <c>grove logs run --name NAME -- CMD [ARGS…]</c>: runs a command, streams its stdout and stderr line by line into a
/// new task log (and to this terminal unless <c>--quiet</c>), prints <c>task ID</c> on stderr first, finishes the task
/// with the command's exit code (succeeded on 0, failed otherwise, canceled on Ctrl+C), and exits with that code.
/// The command sees the task id as <c>GROVE_LOG_TASK</c>.
/// </summary>
internal static class LogsRunCommand
{
    /// <summary>The exit code when the command cannot be started (as a shell reports "command not found").</summary>
    public const int CannotRun = 127;

    public static Command Create(CliApp app)
    {
        var name = new Option<string>("--name") { Description = "The task's name.", Required = true, HelpName = "name" };
        var labels = new Option<string[]>("--label") { Description = "A label of the task (repeatable).", HelpName = "label" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not echo the command's output here." };
        var command = new Argument<string[]>("command") { Description = "The command and its arguments (after --).", Arity = ArgumentArity.OneOrMore };
        var run = new Command("run", "Run a command with its output streamed into a new task log; exits with the command's exit code.") { name, labels, quiet, command };
        app.SetAction(run, (s, r, ct) => RunAsync(s, r.GetValue(name)!, r.GetValue(labels) ?? [], r.GetValue(quiet), r.GetValue(command)!, ct));
        return run;
    }

    private static async Task<int> RunAsync(CommandSession s, string name, string[] labels, bool quiet, string[] command, CancellationToken ct)
    {
        await using var backend = await LogBackends.OpenAsync(s, ct);
        var task = await backend.CreateAsync(name, labels, ct);
        await s.Error.WriteLineAsync("task " + task.Id);
        await s.Error.FlushAsync(ct);
        await using var log = backend.OpenWriter(task.Id);

        using var process = new Process { StartInfo = StartInfo(s, command, task.Id) };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            log.Write($"grove: cannot run '{command[0]}': {e.Message}");
            await log.FinishAsync(GroveLogStatus.Failed, CannotRun, s.Error, CancellationToken.None);
            await s.Error.WriteLineAsync($"grove: cannot run '{command[0]}': {e.Message}");
            return CannotRun;
        }

        var outPump = PumpAsync(process.StandardOutput, log, quiet ? null : s.Out);
        var errPump = PumpAsync(process.StandardError, log, quiet ? null : s.Error);
        try
        {
            await process.WaitForExitAsync(ct);
            await Task.WhenAll(outPump, errPump);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(outPump, errPump);
            log.Write("grove: cancelled (Ctrl+C)");
            await log.FinishAsync(GroveLogStatus.Canceled, ExitCodes.Cancelled, s.Error, CancellationToken.None);
            return ExitCodes.Cancelled;
        }

        var exit = process.ExitCode;
        await log.FinishAsync(exit == 0 ? GroveLogStatus.Succeeded : GroveLogStatus.Failed, exit, s.Error, CancellationToken.None);
        return exit;
    }

    private static ProcessStartInfo StartInfo(CommandSession s, string[] command, string taskId)
    {
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = s.Host.WorkingDirectory,
        };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GROVE_LOG_TASK"] = taskId;
        return info;
    }

    private static async Task PumpAsync(StreamReader output, ITaskLogWriter log, TextWriter? echo)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            log.Write(line);
            if (echo is not null)
            {
                await echo.WriteLineAsync(line);
                await echo.FlushAsync();
            }
        }
    }
}
