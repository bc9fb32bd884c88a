using System.CommandLine;
using Grove.Cli.Backend;

namespace Grove.Cli;

/// <summary>The options every command takes (<c>--data</c>, <c>--store</c>, <c>--json</c>), before or after the verb.</summary>
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

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine output: one JSON document on stdout.",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Data);
        root.Options.Add(Store);
        root.Options.Add(Json);
    }

    /// <summary>The backend settings: options first, then the environment, then the defaults.</summary>
    public BackendSettings Settings(ParseResult result, CliHost host)
    {
        var data = Blank(result.GetValue(Data)) ?? Blank(host.Environment("GROVE_DATA")) ?? DefaultData;
        var store = Blank(result.GetValue(Store)) ?? Blank(host.Environment("GROVE_STORE"));
        if (store is not null && !IsKnownStore(store))
        {
            throw CliException.Usage($"unknown store '{store}': use sqlite, mem, or a postgres:// connection");
        }

        return new BackendSettings(host.LocalPath(data), store);
    }

    private static bool IsKnownStore(string store) =>
        store.Equals("sqlite", StringComparison.OrdinalIgnoreCase)
        || store.Equals("mem", StringComparison.OrdinalIgnoreCase)
        || store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || store.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
