using Grove.Cli.Remote;
using Grove.Client;

namespace Grove.Cli.Backend;

/// <summary>Chooses the backend for an invocation: a Grove server with <c>--server URL</c>, else the local data folder.</summary>
internal static class BackendFactory
{
    /// <summary>
    /// Opens the backend. Without <paramref name="create"/> a SQLite data folder must already hold an index
    /// (<c>not_initialized</c> otherwise), so a mistyped <c>--data</c> does not scatter new stores around. A server
    /// needs a token: <c>GROVE_TOKEN</c> (a token or an API key), else the one <c>grove login</c> stored.
    /// </summary>
    public static async Task<ITreeBackend> OpenAsync(BackendSettings settings, CliHost host, bool create, CancellationToken ct)
    {
        if (settings.Server is { } server)
        {
            if (create)
            {
                throw CliException.Usage("a server keeps its own data; 'grove init' prepares a local data folder (start a server with 'grove serve')");
            }

            return new RemoteBackend(OpenClient(server, host));
        }

        if (!create)
        {
            await settings.EnsureInitializedAsync(ct);
        }

        return await LocalBackend.OpenAsync(settings, ct);
    }

    /// <summary>A client of <paramref name="server"/> carrying the token of <c>GROVE_TOKEN</c> or of <c>grove login</c>.</summary>
    public static GroveClient OpenClient(Uri server, CliHost host)
    {
        var token = host.Environment("GROVE_TOKEN") is { Length: > 0 } t ? t : CredentialStore.For(host).Get(server)?.Token;
        return token is null
            ? throw new CliException(Client.GroveErrorCode.Unauthorized,
                $"not signed in to {CredentialStore.KeyOf(server)}; run: grove login --server {CredentialStore.KeyOf(server)} --user NAME")
            : new GroveClient(server, token);
    }
}
