using Microsoft.Extensions.Logging;

namespace Grove.Client.Configuration;

/// <summary>How <c>AddGroveConfig</c> loads configs from a Grove server.</summary>
public sealed class GroveConfigurationOptions
{
    /// <summary>The server, e.g. <c>http://config.internal:7070</c>.</summary>
    public Uri? Server { get; set; }

    /// <summary>An API key (or login token) of a user allowed to read the configs (and secrets, for secret ones).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The namespace (empty: the default one).</summary>
    public string Tenant { get; set; } = "";

    /// <summary>The configs to load, later ones overriding earlier ones' keys.</summary>
    public IList<GroveConfigSelection> Configs { get; } = [];

    /// <summary>
    /// Where the last content of each config is kept, to start from when the server cannot be reached. Default
    /// <c>grove-config-snapshot</c> beside the application. Null turns snapshots off.
    /// </summary>
    public string? SnapshotFolder { get; set; } = Path.Combine(AppContext.BaseDirectory, "grove-config-snapshot");

    /// <summary>
    /// A 32-byte key that encrypts secret configs in the snapshot (AES-GCM). Without it secrets are never written
    /// to disk, so a start without the server lacks them (and says so).
    /// </summary>
    public byte[]? SnapshotKey { get; set; }

    /// <summary>Gray-release labels of this application (e.g. <c>zone=a</c>, <c>canary</c>).</summary>
    public IList<string> Labels { get; } = [];

    /// <summary>How long the first load may wait for the server before starting from the snapshot.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Follow changes (push stream with reconciliation) and reload the configuration. Default true.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>How often every MD5 is checked against the server whatever the push stream says.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Turn <c>a.b.c</c> keys of properties configs into sections (<c>a:b:c</c>), as Spring binds them. Default true.</summary>
    public bool PropertiesDotsAsSections { get; set; } = true;

    /// <summary>Where the provider says what it does (starts from the snapshot and why, reloads, failures).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Adds a config at the root or under <paramref name="section"/>.</summary>
    public GroveConfigurationOptions Add(string group, string dataId, string? section = null, bool optional = false)
    {
        Configs.Add(new GroveConfigSelection { Group = group, DataId = dataId, Section = section, Optional = optional });
        return this;
    }
}
