using System.CommandLine;

namespace Grove.Cli.Commands;

/// <summary><c>grove meta get|set|unset</c>: an object's metadata.</summary>
internal static class MetaCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("meta", "Read and change an object's metadata.");
        command.Subcommands.Add(MetaGetCommand.Create(app));
        command.Subcommands.Add(MetaSetCommand.Create(app));
        command.Subcommands.Add(MetaUnsetCommand.Create(app));
        return command;
    }
}
