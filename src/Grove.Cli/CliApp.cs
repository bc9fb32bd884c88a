using System.CommandLine;
using Grove.Cli.Commands;
using Grove.Cli.Commands.Logs;
using Grove.Cli.Commands.Records;

namespace Grove.Cli;

/// <summary>The command tree of one invocation, wired to its <see cref="CliHost"/>. Built fresh per run: no shared state.</summary>
internal sealed class CliApp
{
    private readonly CliHost _host;
    private readonly GlobalOptions _globals = new();

    public CliApp(CliHost host) => _host = host;

    public RootCommand BuildRoot()
    {
        var root = new RootCommand("grove: a tree of files, directories and metadata, in a data folder or on a Grove server (--server).");
        _globals.AddTo(root);
        Command[] commands =
        [
            InitCommand.Create(this),
            LsCommand.Create(this),
            StatCommand.Create(this),
            MkdirCommand.Create(this),
            PutCommand.Create(this),
            GetCommand.Create(this),
            CatCommand.Create(this),
            MvCommand.Create(this),
            RmCommand.Create(this),
            MetaCommand.Create(this),
            FindCommand.Create(this),
            MountCommand.Create(this),
            UnmountCommand.Create(this),
            FsckCommand.Create(this),
            SweepCommand.Create(this),
            ServeCommand.Create(this),
            LoginCommand.Create(this),
            LogoutCommand.Create(this),
            WhoamiCommand.Create(this),
            PasswdCommand.Create(this),
            UsersCommand.Create(this),
            KeysCommand.Create(this),
            ConfigCommand.Create(this),
            LogsCommand.Create(this),
            RecordsCommand.Create(this),
            Commands.Messages.MessagesCommand.Create(this),
            WatchCommand.Create(this),
            MqCommand.Create(this),
            HookCommand.Create(this),
            DemoCommand.Create(this),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Sets a command's action, handing it a <see cref="CommandSession"/>.</summary>
    public void SetAction(Command command, Func<CommandSession, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction((result, ct) => action(new CommandSession(_host, _globals, result), result, ct));
}
