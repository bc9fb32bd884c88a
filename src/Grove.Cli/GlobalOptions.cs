using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Tree.Storage;

namespace Grove.Cli;

/// <summary>The options every command takes (<c>--data</c>, <c>--store</c>, <c>--server</c>, <c>--json</c>), before or after the verb.</summary>
internal sealed class GlobalOptions
{
    /// <summary>The default data folder, relative to the working folder.</summary>
    public const string DefaultData = "grove-data";

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "The data folder (default ./grove-data, or $GROVE_DATA).",
        HelpName = "folder",
        Recursive = true,
    };

    public Option<string?> Store { get; } = new("--store")
    {
        Description = "The index store: sqlite (default), mem, or postgres://… (or $GROVE_STORE).",
        HelpName = "sqlite|mem|postgres://…",
        Recursive = true,
    };

    public Option<string?> Server { get; } = new("--server")
    {
        Description = "Talk to a Grove server instead of a data folder (or $GROVE_SERVER); sign in with 'grove login'.",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> As { get; } = new("--as")
    {
        Description = "Local mode: act as this user of the data folder, with exactly the rights the server would give them (default: the folder's owner, an admin).",
        HelpName = "user",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine output: one JSON document on stdout.",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Data);
        root.Options.Add(Store);
        root.Options.Add(Server);
        root.Options.Add(As);
        root.Options.Add(Json);
    }

    /// <summary>The backend settings: options first, then the environment, then the defaults.</summary>
    public BackendSettings Settings(ParseResult result, CliHost host)
    {
        var data = Blank(result.GetValue(Data)) ?? Blank(host.Environment("GROVE_DATA")) ?? DefaultData;
        var store = Blank(result.GetValue(Store)) ?? Blank(host.Environment("GROVE_STORE"));
        if (store is not null)
        {
            if (!StoreSpec.TryParse(store, out var spec, out var error))
            {
                throw CliException.Usage(error);
            }

            if (!Grove.Server.GroveStorage.Registry.Knows(StorageRole.Store, spec.Kind))
            {
                throw CliException.Usage($"unknown store '{spec.Display}': use {string.Join(", ", Grove.Server.GroveStorage.Registry.Kinds(StorageRole.Store))} (postgres as postgres://user:pass@host/db)");
            }
        }

        var server = ServerOf(result, host);
        var actAs = Blank(result.GetValue(As));
        if (actAs is not null && server is not null)
        {
            throw CliException.Usage("--as works on a data folder; against a server, sign in as that user (grove login)");
        }

        return new BackendSettings(host.LocalPath(data), store, server) { As = actAs, Providers = ProviderSettings(host) };
    }

    /// <summary>
    /// The storage providers' settings from the environment: <c>Grove__Buckets__media__Bucket</c> is the key
    /// <c>Buckets:media:Bucket</c>, as the server reads <c>Grove:Buckets:media:Bucket</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ProviderSettings(CliHost host)
    {
        const string Prefix = "Grove__";
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in host.EnvironmentVariables())
        {
            if (key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && key.Length > Prefix.Length && value is not null)
            {
                settings[key[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        return settings;
    }

    /// <summary>The server address from <c>--server</c> or <c>GROVE_SERVER</c>, or null for local mode.</summary>
    public Uri? ServerOf(ParseResult result, CliHost host)
    {
        var text = Blank(result.GetValue(Server)) ?? Blank(host.Environment("GROVE_SERVER"));
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw CliException.Usage($"--server must be an http:// or https:// URL, not '{text}'");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
