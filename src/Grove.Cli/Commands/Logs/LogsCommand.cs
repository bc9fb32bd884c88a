using System.CommandLine;

namespace Grove.Cli.Commands.Logs;

/// <summary><c>grove logs run|tail|follow|get|grep|download|ls|rm</c>: task logs on a server (<c>--server</c>) or in the data folder.</summary>
internal static class LogsCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("logs", "Task logs: run a command into a log, read, follow, search, download, list (ls) and delete (rm) logs.");
        command.Subcommands.Add(LogsRunCommand.Create(app));
        foreach (var c in LogsReadCommands.Create(app))
        {
            command.Subcommands.Add(c);
        }

        foreach (var c in LogsTaskCommands.Create(app))
        {
            command.Subcommands.Add(c);
        }

        return command;
    }
}
