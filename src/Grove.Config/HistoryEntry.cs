namespace Grove.Config;

/// <summary>One entry of a config's history, which is also the audit log: who did what, when, from where.</summary>
public sealed record HistoryEntry
{
    /// <summary>The entry's id: the store revision of the change (Nacos's <c>nid</c>).</summary>
    public required long Id { get; init; }

    /// <summary>The config.</summary>
    public required ConfigKey Key { get; init; }

    /// <summary>What happened.</summary>
    public required ConfigOp Op { get; init; }

    /// <summary>The content of that version (null in lists; loaded by <c>GetHistoryAsync</c>).</summary>
    public string? Content { get; init; }

    /// <summary>MD5 of that version's content (null in lists of secrets, whose hashes are not stored).</summary>
    public string? Md5 { get; init; }

    /// <summary>The type then.</summary>
    public ConfigType Type { get; init; }

    /// <summary>The description then.</summary>
    public string? Description { get; init; }

    /// <summary>The tags then.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The application then.</summary>
    public string? App { get; init; }

    /// <summary>Whether that version was secret.</summary>
    public bool Secret { get; init; }

    /// <summary>For beta entries: the IPs of the gray release.</summary>
    public IReadOnlyList<string> BetaIps { get; init; } = [];

    /// <summary>For beta entries: the labels of the gray release.</summary>
    public IReadOnlyList<string> BetaLabels { get; init; } = [];

    /// <summary>Who did it.</summary>
    public string? User { get; init; }

    /// <summary>From which client address.</summary>
    public string? ClientIp { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; init; }
}
