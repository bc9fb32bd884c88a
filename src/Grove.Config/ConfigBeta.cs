namespace Grove.Config;

/// <summary>A gray (beta) release of a config: other content served only to the listed client IPs or labels.</summary>
public sealed record ConfigBeta
{
    /// <summary>The config it belongs to.</summary>
    public required ConfigKey Key { get; init; }

    /// <summary>The beta content, decoded from <see cref="Utf8"/> on every call (the beta is held once, as UTF-8).</summary>
    public string Content => System.Text.Encoding.UTF8.GetString(Utf8.Span);

    /// <summary>The beta content as UTF-8 bytes.</summary>
    public required ReadOnlyMemory<byte> Utf8 { get; init; }

    /// <summary>MD5 of the beta content (hex, lower case).</summary>
    public required string Md5 { get; init; }

    /// <summary>Client IPs that get the beta.</summary>
    public IReadOnlyList<string> Ips { get; init; } = [];

    /// <summary>Client labels (e.g. <c>zone=a</c>, <c>canary</c>) that get the beta.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The store revision of the beta's last change.</summary>
    public long Revision { get; init; }

    /// <summary>When the beta was published.</summary>
    public DateTimeOffset ModifiedAt { get; init; }

    /// <summary>Who published it.</summary>
    public string? ModifiedBy { get; init; }

    /// <summary>Whether a client gets this beta: its IP is listed, or one of its labels is.</summary>
    public bool Matches(ConfigClient? client)
    {
        if (client is null)
        {
            return false;
        }

        if (client.Ip is { } ip && Ips.Contains(ip, StringComparer.Ordinal))
        {
            return true;
        }

        return client.Labels is { Count: > 0 } labels && Labels.Any(l => labels.Contains(l, StringComparer.Ordinal));
    }
}
