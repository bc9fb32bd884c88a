using Grove.Cli.Backend;

namespace Grove.Cli.Logs;

/// <summary>Opens the log backend of an invocation: the server of <c>--server</c>, else the local data folder.</summary>
internal static class LogBackends
{
    public static async Task<ILogBackend> OpenAsync(CommandSession s, CancellationToken ct)
    {
        if (s.Server is { } server)
        {
            return new RemoteLogBackend(BackendFactory.OpenClient(server, s.Host));
        }

        var settings = s.Settings;
        await settings.EnsureInitializedAsync(ct, "run 'grove init' or pass --data (or --server)");

        return await LocalLogBackend.OpenAsync(settings, ct);
    }
}
