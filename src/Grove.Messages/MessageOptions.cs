namespace Grove.Messages;

/// <summary>How a <see cref="MessageEngine"/> runs.</summary>
public sealed record MessageOptions
{
    /// <summary>Largest body accepted, in bytes (default 1 MiB); over it, <c>too_large</c>.</summary>
    public int MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Most messages one query page returns.</summary>
    public int MaxPageSize { get; init; } = 1_000;

    /// <summary>
    /// Most documents one query page tests against a filter on mapped fields (default 10,000): past it the page comes
    /// back short, even empty, with a <c>next</c> cursor to go on from, so no request reads a whole history in one go
    /// (0: no budget).
    /// </summary>
    public int MaxScan { get; init; } = 10_000;

    /// <summary>The config center namespace the mappings are read from (empty: the default namespace).</summary>
    public string Tenant { get; init; } = "";

    /// <summary>The clock (received times).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// How messages roll into history tables (seed 002), or null (the default) to keep them in one table. The source id
    /// stays unique across the tables; the oldest tables are dropped past <see cref="Grove.Records.HistoryPolicy.Keep"/> (set it high to keep every message).
    /// </summary>
    public Grove.Records.HistoryPolicy? History { get; init; }
}

/// <summary>The form of a batch print-out.</summary>
public enum BatchFormat
{
    /// <summary>One PDF with every message, streamed as it is rendered: memory flat whatever the count.</summary>
    Pdf,

    /// <summary>A zip of one PDF per message, written as each is rendered: memory flat whatever the count.</summary>
    Zip,
}
