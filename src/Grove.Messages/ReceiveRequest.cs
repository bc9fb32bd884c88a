namespace Grove.Messages;

/// <summary>One message as a partner sends it.</summary>
public sealed record ReceiveRequest
{
    /// <summary>The partner (checked against the caller by the HTTP layer).</summary>
    public required string Partner { get; init; }

    /// <summary>The message type.</summary>
    public required string Type { get; init; }

    /// <summary>The body, JSON or XML as the mapping says.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The partner's id of the message (<c>sourceId</c>); null takes it from the body (the mapping's <c>sourceId</c> path) or <see cref="IdempotencyKey"/>.</summary>
    public string? SourceId { get; init; }

    /// <summary>The <c>Idempotency-Key</c> header: a resend with the same key returns the first answer.</summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>The answer to a received message (the same for a resend of it).</summary>
/// <param name="Id">The message's id.</param>
/// <param name="Partner">The partner.</param>
/// <param name="Type">The type.</param>
/// <param name="SourceId">The partner's id of the message, or null.</param>
/// <param name="Revision">The mapping revision it was mapped with.</param>
/// <param name="ReceivedAt">When it was first received.</param>
/// <param name="Duplicate">True when this was a resend and nothing was stored.</param>
public sealed record ReceiveResult(long Id, string Partner, string Type, string? SourceId, long Revision, DateTimeOffset ReceivedAt, bool Duplicate);
