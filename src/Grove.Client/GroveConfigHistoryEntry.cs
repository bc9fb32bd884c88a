using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>One version of a config (its history is also the audit log): what happened, who did it, from where.</summary>
public sealed record GroveConfigHistoryEntry
{
    /// <summary>The entry's id (the store revision of the change).</summary>
    public required long Id { get; init; }

    /// <summary>The config.</summary>
    public required GroveConfigKey Key { get; init; }

    /// <summary><c>publish</c>, <c>delete</c>, <c>rollback</c>, <c>import</c>, <c>beta-publish</c>, <c>beta-promote</c> or <c>beta-cancel</c>.</summary>
    public required string Op { get; init; }

    /// <summary>The content of that version (only from <see cref="GroveConfigClient.GetHistoryAsync"/>).</summary>
    public string? Content { get; init; }

    /// <summary>MD5 of that version.</summary>
    public string? Md5 { get; init; }

    /// <summary>The type then.</summary>
    public string Type { get; init; } = "text";

    /// <summary>Who made the change.</summary>
    public string? User { get; init; }

    /// <summary>From which client address.</summary>
    public string? ClientIp { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; init; }

    internal static GroveConfigHistoryEntry FromJson(JsonElement e) => new()
    {
        Id = Wire.Long(e, "id"),
        Key = GroveConfig.KeyFromJson(e),
        Op = Wire.Str(e, "op"),
        Content = Wire.OptStr(e, "content"),
        Md5 = Wire.OptStr(e, "md5"),
        Type = Wire.OptStr(e, "type") ?? "text",
        User = Wire.OptStr(e, "user"),
        ClientIp = Wire.OptStr(e, "clientIp"),
        At = Wire.Time(e, "at"),
    };
}
