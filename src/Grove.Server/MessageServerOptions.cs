namespace Grove.Server;

/// <summary>The server's settings of partner messages (section <c>Grove:Messages</c>).</summary>
public sealed record MessageServerOptions
{
    /// <summary>Largest body accepted, in bytes (default 1 MiB).</summary>
    public int MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Most messages one query page returns.</summary>
    public int MaxPageSize { get; init; } = 1_000;

    /// <summary>Most documents one query page tests against a filter on mapped fields (see <c>MessageOptions.MaxScan</c>).</summary>
    public int MaxScan { get; init; } = 10_000;

    /// <summary>Members of this group read every partner's messages; others read only the partners they act for.</summary>
    public string ReadersGroup { get; init; } = "messages";

    /// <summary>
    /// A caller acts for partner P (sends and reads P's messages) when it is an admin, its user name is P, or it is a
    /// member of the group <c>&lt;PartnerGroupPrefix&gt;P</c>. Partners authenticate with their user's API key.
    /// </summary>
    public string PartnerGroupPrefix { get; init; } = "partner-";

    /// <summary>Serve the SOAP 1.1 endpoint <c>/soap/messages</c> and its WSDL.</summary>
    public bool Soap { get; init; } = true;
}
