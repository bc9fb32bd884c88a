using Grove.Client;
using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Cli.Output;
using Grove.Cli.Remote;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove passwd [user]</c>: changes your password on the server (the current one from <c>GROVE_PASSWORD</c> or a
/// prompt), or, as an admin, anyone's; the new one from <c>GROVE_NEW_PASSWORD</c> or typed twice.
/// </summary>
internal static class PasswdCommand
{
    public static Command Create(CliApp app)
    {
        var user = new Argument<string?>("user") { Description = "Whose password (default: yours; others' need admin).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("passwd", "Change a password on a Grove server.") { user };
        app.SetAction(command, async (s, r, ct) =>
        {
            using var client = BackendFactory.OpenClient(s.RequireServer("passwd"), s.Host);
            var me = await client.MeAsync(ct);
            var target = r.GetValue(user) ?? me.User;
            var old = me.IsAdmin ? null : Secrets.Read(s.Host, "GROVE_PASSWORD", "Current password: ");
            var fresh = Secrets.ReadNew(s.Host, "GROVE_NEW_PASSWORD", $"New password for {target}: ");
            await client.ChangePasswordAsync(target, old, fresh, ct);
            s.Out.WriteLine(TerminalText.Clean($"password changed for {target}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
