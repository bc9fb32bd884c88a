using Microsoft.Extensions.Logging;

namespace Grove.Config;

/// <summary>How a <see cref="ConfigEngine"/> runs.</summary>
public sealed record ConfigOptions
{
    /// <summary>
    /// The data folder holding <c>config-dump/</c> and <c>config-master.key</c>; null uses the tree's data folder
    /// (required when the engine opens without a tree).
    /// </summary>
    public string? DataPath { get; init; }

    /// <summary>Largest content in UTF-8 bytes (default 100 KiB, Nacos's recommendation); over it, <c>too_large</c>.</summary>
    public int MaxContentBytes { get; init; } = 100 * 1024;

    /// <summary>How often every config is written to the dump folder again (the seed's <c>dump_config_interval</c>, 600 s).</summary>
    public TimeSpan DumpInterval { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>How often the served map is compared with the store in full (the safety net; 5 minutes).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>While the store is unreachable, how often to try it again.</summary>
    public TimeSpan RecoveryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>History (and audit) entries older than this are given an expiry for the tree's sweep; null keeps them forever.</summary>
    public TimeSpan? HistoryRetention { get; init; } = TimeSpan.FromDays(180);

    /// <summary>
    /// The 32-byte master key that wraps secrets' data keys. Null reads <c>&lt;data&gt;/config-master.key</c>, creating
    /// it (mode 0600) on first start. Every node sharing a store must use the same key.
    /// </summary>
    public byte[]? MasterKey { get; init; }

    /// <summary>
    /// A file holding the master key (base64 of 32 bytes), given to every node that shares a store; read at open and
    /// never created. Used when <see cref="MasterKey"/> is null; when both are null, <c>&lt;data&gt;/config-master.key</c>.
    /// </summary>
    public string? MasterKeyFile { get; init; }

    /// <summary>Decodes a master key written as base64 of 32 bytes (a setting or secret); throws <c>invalid_argument</c> naming <paramref name="source"/>, never the key.</summary>
    public static byte[] DecodeMasterKey(string text, string source) => Internal.MasterKeyFile.Parse(text, source);

    /// <summary>Validate json, yaml, xml and properties content on publish (default true).</summary>
    public bool ValidateFormats { get; init; } = true;

    /// <summary>Requests one client IP may make per <see cref="RequestWindow"/> (the seed's refuse-request count); 0 turns the cap off.</summary>
    public int RequestsPerWindow { get; init; } = 20_000;

    /// <summary>The window of <see cref="RequestsPerWindow"/>.</summary>
    public TimeSpan RequestWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Long polls one client IP may hold at once; 0 turns the cap off.</summary>
    public int MaxWaitersPerIp { get; init; } = 1_000;

    /// <summary>Long polls the engine holds at once.</summary>
    public int MaxWaiters { get; init; } = 100_000;

    /// <summary>How long a client stays on the listeners page after its last probe.</summary>
    public TimeSpan ListenerTtl { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Non-admin actors must belong to this group to change configs or read history.</summary>
    public string EditorGroup { get; init; } = "config";

    /// <summary>Most entries an imported zip may hold.</summary>
    public int MaxImportEntries { get; init; } = 10_000;

    /// <summary>Most bytes an imported zip may expand to.</summary>
    public long MaxImportBytes { get; init; } = 256L << 20;

    /// <summary>Run the dump, reconcile and recovery timers (tests turn them off and call the methods).</summary>
    public bool RunTimers { get; init; } = true;

    /// <summary>The clock and timers.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the engine says what it does (start from dump, store lost and back).</summary>
    public ILogger? Logger { get; init; }
}
