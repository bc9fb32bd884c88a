namespace Grove.Messages;

/// <summary>Which messages to list: every given criterion holds. Pages are newest first.</summary>
public sealed record MessageQuery
{
    /// <summary>Only this partner's messages.</summary>
    public string? Partner { get; init; }

    /// <summary>Only this type (usually with <see cref="Partner"/>).</summary>
    public string? Type { get; init; }

    /// <summary>Received at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Received before.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Business keys that must all match exactly (name → value).</summary>
    public IReadOnlyDictionary<string, string>? Keys { get; init; }

    /// <summary>A WnQuery filter (JSON) over mapped fields, e.g. <c>{"weight":"[10,)", "city":"上海*"}</c>.</summary>
    public string? Where { get; init; }

    /// <summary>Only these message ids.</summary>
    public IReadOnlyList<long>? Ids { get; init; }

    /// <summary>Page size (default 100, at most <see cref="MessageOptions.MaxPageSize"/>).</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The cursor of the previous page (<see cref="MessagePage.Next"/>).</summary>
    public string? After { get; init; }
}

/// <summary>A page of messages.</summary>
/// <param name="Items">The messages, newest first.</param>
/// <param name="Next">The cursor of the next page, or null at the end.</param>
public sealed record MessagePage(IReadOnlyList<MessageSummary> Items, string? Next);

/// <summary>A message in a list: its columns and its mapped document.</summary>
/// <param name="Id">The message's id.</param>
/// <param name="Partner">The partner.</param>
/// <param name="Type">The type.</param>
/// <param name="ReceivedAt">When it was received.</param>
/// <param name="SourceId">The partner's id of it.</param>
/// <param name="Revision">The mapping revision it was mapped with.</param>
/// <param name="Document">The mapped document (JSON).</param>
public sealed record MessageSummary(long Id, string Partner, string Type, DateTimeOffset ReceivedAt, string? SourceId, long Revision, string Document);
