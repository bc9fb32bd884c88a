using System.CommandLine;
using Grove.Cli.Output;
using Grove.Cli.Remote;
using Grove.Client;

namespace Grove.Cli.Commands;

/// <summary><c>grove logout --server URL</c>: ends the session on the server and forgets the stored token.</summary>
internal static class LogoutCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("logout", "End the session on a Grove server and forget its token here.");
        app.SetAction(command, async (s, _, ct) =>
        {
            var server = s.RequireServer("logout");
            var key = CredentialStore.KeyOf(server);
            var store = CredentialStore.For(s.Host);
            var credential = store.Get(server);
            if (credential is not null)
            {
                try
                {
                    using var client = new GroveClient(server, credential.Token);
                    await client.LogoutAsync(ct);
                }
                catch (GroveApiException e) when (e.IsUnauthorized)
                {
                    // The token had already expired or been revoked: nothing to end on the server.
                }
                catch (HttpRequestException e)
                {
                    s.Error.WriteLine($"grove: warning: could not reach {key} ({ErrorReporter.OneLine(e.Message)}); the token is forgotten here but stays valid until it expires");
                }

                store.Remove(server);
            }

            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("server", key);
                    w.WriteBoolean("signedOut", credential is not null);
                    w.WriteEndObject();
                });
            }
            else
            {
                s.Out.WriteLine(credential is null ? $"not signed in to {key}" : $"signed out of {key}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
