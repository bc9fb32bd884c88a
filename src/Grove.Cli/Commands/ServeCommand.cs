using System.CommandLine;
using Grove.Server;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove serve [--data DIR] [--store postgres://…] [--urls URL]</c>: runs the Grove server in this process until
/// Ctrl+C or SIGTERM, exactly as <c>dotnet run --project src/Grove.Server</c> does (appsettings.json, environment,
/// then these flags); the first start prints the generated <c>admin</c> password once.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliApp app)
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:7070; or $GROVE_URLS); ';' between several.", HelpName = "url" };
        var command = new Command("serve", "Run the Grove server (HTTP API and web console) on the data folder.") { urls };
        app.SetAction(command, (s, r, ct) =>
        {
            var args = new List<string>();
            var (data, store) = s.TypedStore;
            if (data is not null)
            {
                args.AddRange(["--data", s.Host.LocalPath(data)]);
            }

            if (store is not null)
            {
                args.AddRange(["--store", store]);
            }

            if (r.GetValue(urls) is { Length: > 0 } listen)
            {
                args.AddRange(["--urls", listen]);
            }

            return GroveServer.RunAsync([.. args], s.Out, ct);
        });
        return command;
    }
}
