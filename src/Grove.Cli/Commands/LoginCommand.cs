using System.CommandLine;
using Grove.Cli.Output;
using Grove.Cli.Remote;
using Grove.Client;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove login --server URL --user NAME</c>: signs in (password from <c>GROVE_PASSWORD</c> or a hidden prompt) and
/// stores the token for that server in the per-user credentials file, for the other verbs to use.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CliApp app)
    {
        var user = new Option<string?>("--user", "-u") { Description = "The user to sign in as (or $GROVE_USER).", HelpName = "name" };
        var command = new Command("login", "Sign in to a Grove server and keep the token for the other verbs.") { user };
        app.SetAction(command, async (s, r, ct) =>
        {
            var server = s.RequireServer("login");
            var key = CredentialStore.KeyOf(server);
            var name = r.GetValue(user) ?? s.Host.Environment("GROVE_USER")
                ?? throw CliException.Usage("name the user: grove login --server URL --user NAME");
            var password = Secrets.Read(s.Host, "GROVE_PASSWORD", $"Password for {name} at {key}: ");
            using var client = new GroveClient(server);
            var login = await client.LoginAsync(name, password, ct);
            var store = CredentialStore.For(s.Host);
            store.Set(server, new ServerCredential(login.User, login.Token, login.ExpiresAt.ToUnixTimeMilliseconds()));
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("server", key);
                    w.WriteString("user", login.User);
                    w.WriteNumber("expiresAt", login.ExpiresAt.ToUnixTimeMilliseconds());
                    w.WriteEndObject();
                });
            }
            else
            {
                s.Out.WriteLine($"signed in to {key} as {TerminalText.Clean(login.User)} (until {ObjectTable.Time(login.ExpiresAt.ToUnixTimeMilliseconds())})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
