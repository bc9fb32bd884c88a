namespace Grove.Server;

/// <summary>
/// Settings of the config center (section <c>Grove:Config</c>): the Diamond and Nacos endpoints, Grove's config API
/// and the engine under them.
/// </summary>
public sealed record ConfigServerOptions
{
    /// <summary>
    /// Let clients without credentials read configs and listen for changes through the Diamond (<c>config.co</c>)
    /// and Nacos (<c>GET /nacos/v1/cs/configs</c>, <c>/listener</c>) endpoints, as Diamond clients (which cannot
    /// sign in) need. Default true. Writes, listings and history always need a signed-in user, and secret configs
    /// are never served anonymously. Set false to require a credential for every read.
    /// </summary>
    public bool AnonymousReads { get; init; } = true;

    /// <summary>
    /// A file holding the master key that seals secret configs (base64 of 32 bytes, e.g. a copy of the first node's
    /// <c>config-master.key</c>). Every node sharing a PostgreSQL store must be given the same key: a node whose key
    /// is not the store's refuses to start. Null (and no <see cref="MasterKey"/>) uses <c>&lt;data&gt;/config-master.key</c>.
    /// </summary>
    public string? MasterKeyFile { get; init; }

    /// <summary>The master key itself as base64 (for secret stores that hand out environment values, <c>Grove__Config__MasterKey</c>); prefer <see cref="MasterKeyFile"/>.</summary>
    public string? MasterKey { get; init; }

    /// <summary>Largest config content in UTF-8 bytes (default 100 KiB); larger publishes get 413 naming the limit.</summary>
    public int MaxContentBytes { get; init; } = 100 * 1024;

    /// <summary>The seed's request counter: requests one client IP may make per <see cref="RequestWindow"/> (0 turns it off).</summary>
    public int RequestsPerWindow { get; init; } = 20_000;

    /// <summary>The window of <see cref="RequestsPerWindow"/>.</summary>
    public TimeSpan RequestWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Long polls (and push streams) one client IP may hold at once (0 turns the cap off).</summary>
    public int MaxLongPollsPerIp { get; init; } = 1_000;

    /// <summary>Long polls the node holds at once.</summary>
    public int MaxLongPolls { get; init; } = 100_000;

    /// <summary>The shortest hold of a long poll whatever the client asks (Nacos holds at least 10 s).</summary>
    public TimeSpan MinLongPoll { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest hold of a long poll whatever the client asks.</summary>
    public TimeSpan MaxLongPoll { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Take the client's address from the first <c>X-Forwarded-For</c> entry (as Diamond did) instead of the
    /// connection. Only behind a proxy that sets it: otherwise clients could claim any address (and its gray release).
    /// </summary>
    public bool TrustForwardedFor { get; init; }

    /// <summary>Besides admins and the editor group, members of this group may read secret configs.</summary>
    public string SecretReadersGroup { get; init; } = "config-secrets";

    /// <summary>Non-admin users must belong to this group to change configs, read history or use <c>admin.do</c>.</summary>
    public string EditorGroup { get; init; } = "config";

    /// <summary>How often every config is written to the dump folder again (the seed's <c>dump_config_interval</c>).</summary>
    public TimeSpan DumpInterval { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>How often the served configs are compared with the store in full (the safety net behind notifications).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The poll interval a Diamond client is told to keep, in the <c>client-spacing-interval</c> header of every
    /// probe answer (default 15 s, Diamond's own; zero sends no header). A client that has spent half of its
    /// request counter in the current window is told twice this, and one past three quarters four times it, so chatty
    /// clients slow down before they meet the 503.
    /// </summary>
    public TimeSpan DiamondPollInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a push stream sends a keep-alive comment.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);
}
