using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>The answer to a sent message (the same for a resend).</summary>
/// <param name="Id">The message's id.</param>
/// <param name="SourceId">The partner's id of it.</param>
/// <param name="Revision">The mapping revision it was mapped with.</param>
/// <param name="ReceivedAt">When it was first received.</param>
/// <param name="Duplicate">True for a resend: nothing was stored.</param>
public sealed record GroveMessageReceipt(long Id, string? SourceId, long Revision, DateTimeOffset ReceivedAt, bool Duplicate)
{
    internal static GroveMessageReceipt FromJson(JsonElement e) => new(
        Wire.Long(e, "id"), Wire.OptStr(e, "sourceId"), Wire.Long(e, "revision"), e.GetProperty("receivedAt").GetDateTimeOffset(), Wire.Bool(e, "duplicate"));
}

/// <summary>A message in a listing, or shown: its columns, its mapped document, and (shown) fields with display names.</summary>
public sealed record GroveMessage
{
    /// <summary>The message's id.</summary>
    public long Id { get; init; }

    /// <summary>The partner.</summary>
    public string Partner { get; init; } = "";

    /// <summary>The type.</summary>
    public string Type { get; init; } = "";

    /// <summary>When it was received.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The partner's id of it.</summary>
    public string? SourceId { get; init; }

    /// <summary>The mapping revision it was mapped with.</summary>
    public long Revision { get; init; }

    /// <summary>The mapped document as JSON text.</summary>
    public string Document { get; init; } = "{}";

    /// <summary>Shown messages: master fields as (name, display name, value).</summary>
    public IReadOnlyList<(string Name, string Display, string Value)> Fields { get; init; } = [];

    /// <summary>Shown messages: the detail table's title, or null.</summary>
    public string? DetailTitle { get; init; }

    /// <summary>Shown messages: the detail columns' display names.</summary>
    public IReadOnlyList<string> DetailColumns { get; init; } = [];

    /// <summary>Shown messages: the detail rows as text.</summary>
    public IReadOnlyList<IReadOnlyList<string>> DetailRows { get; init; } = [];

    internal static GroveMessage FromJson(JsonElement e)
    {
        var m = new GroveMessage
        {
            Id = Wire.Long(e, "id"),
            Partner = Wire.Str(e, "partner"),
            Type = Wire.Str(e, "type"),
            ReceivedAt = e.GetProperty("receivedAt").GetDateTimeOffset(),
            SourceId = Wire.OptStr(e, "sourceId"),
            Revision = Wire.Long(e, "revision"),
            Document = e.TryGetProperty("document", out var d) ? d.GetRawText() : "{}",
        };
        if (e.TryGetProperty("fields", out var fields))
        {
            m = m with { Fields = fields.EnumerateArray().Select(f => (Wire.Str(f, "name"), Wire.Str(f, "display"), Wire.Str(f, "value"))).ToArray() };
        }

        if (e.TryGetProperty("detail", out var detail))
        {
            m = m with
            {
                DetailTitle = Wire.OptStr(detail, "title"),
                DetailColumns = detail.GetProperty("columns").EnumerateArray().Select(c => Wire.Str(c, "display")).ToArray(),
                DetailRows = detail.GetProperty("rows").EnumerateArray().Select(r => (IReadOnlyList<string>)r.EnumerateArray().Select(c => c.GetString() ?? "").ToArray()).ToArray(),
            };
        }

        return m;
    }
}

/// <summary>Which messages to list (every given criterion holds), newest first.</summary>
public sealed record GroveMessageQuery
{
    /// <summary>Only this partner's messages (required unless the caller reads all partners).</summary>
    public string? Partner { get; init; }

    /// <summary>Only this type.</summary>
    public string? Type { get; init; }

    /// <summary>Received at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Received before.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Business keys that must match exactly.</summary>
    public IReadOnlyDictionary<string, string>? Keys { get; init; }

    /// <summary>A WnQuery filter (JSON) over mapped fields.</summary>
    public string? Where { get; init; }

    /// <summary>Only these ids.</summary>
    public IReadOnlyList<long>? Ids { get; init; }

    /// <summary>Page size.</summary>
    public int? Limit { get; init; }

    /// <summary>The previous page's cursor.</summary>
    public string? After { get; init; }
}
