using System.Text.Json;
using Grove.Tree;

namespace Grove.Logs.Internal;

/// <summary>
/// Tasks are tree objects (<c>root/yyyy/MM/dd/id.log</c>) whose custom metadata describes them; the same object later
/// holds the archive as its content. These are the keys, and the mapping to <see cref="LogTask"/>.
/// </summary>
internal static class Catalog
{
    public const string Name = "lg_name";
    public const string Status = "lg_status";
    public const string Exit = "lg_exit";
    public const string End = "lg_end";
    public const string State = "lg_state";
    public const string Lines = "lg_lines";
    public const string Bytes = "lg_bytes";
    public const string DroppedLines = "lg_dropl";
    public const string DroppedBytes = "lg_dropb";
    public const string Cut = "lg_cut";
    public const string Digest = "lg_digest";
    public const string Live = "live";
    public const string Archived = "archived";
    public const string Mime = "application/vnd.grove.log";

    public static string StatusName(LogTaskStatus s) => s.ToString().ToLowerInvariant();

    public static LogTaskStatus ParseStatus(string? s) =>
        Enum.TryParse<LogTaskStatus>(s, ignoreCase: true, out var v) && !int.TryParse(s, out _) ? v : LogTaskStatus.Running;

    public static bool IsArchived(TreeObject o) => Text(o, State) == Archived;

    public static string IdOf(TreeObject o) => o.Name.EndsWith(".log", StringComparison.Ordinal) ? o.Name[..^4] : o.Name;

    /// <summary>The metadata recording a finished task's final state.</summary>
    public static Dictionary<string, object?> Finished(LiveState s) => new(StringComparer.Ordinal)
    {
        [Status] = StatusName(s.Sealed ?? LogTaskStatus.Abandoned),
        [Exit] = s.ExitCode,
        [End] = s.SealedAt,
        [Lines] = s.Next,
        [Bytes] = s.Bytes,
        [DroppedLines] = s.DroppedLines,
        [DroppedBytes] = s.DroppedBytes,
        [Cut] = s.LinesCut,
    };

    public static LogTask ToTask(TreeObject o, LiveState? live)
    {
        var id = IdOf(o);
        var status = live?.Sealed ?? ParseStatus(Text(o, Status));
        var archived = IsArchived(o) && live is null;
        return new LogTask
        {
            Id = id,
            Name = Text(o, Name) ?? "",
            Owner = o.Creator,
            Labels = o.Labels,
            Status = status,
            ExitCode = live is not null ? live.ExitCode : Int(o, Exit) is { } e ? (int)e : null,
            Created = TaskIds.IsValid(id) ? TaskIds.CreatedAt(id) : o.Created,
            Finished = live is not null ? (live.Sealed is null ? null : live.SealedAt) : Int(o, End),
            LastActivity = live?.Activity ?? Int(o, End) ?? o.Created,
            Lines = live?.Next ?? Int(o, Lines) ?? 0,
            Bytes = live?.Bytes ?? Int(o, Bytes) ?? 0,
            DroppedLines = live?.DroppedLines ?? Int(o, DroppedLines) ?? 0,
            DroppedBytes = live?.DroppedBytes ?? Int(o, DroppedBytes) ?? 0,
            LinesCut = live?.LinesCut ?? Int(o, Cut) ?? 0,
            Storage = archived ? LogStorage.Archived : LogStorage.Live,
            Path = o.Path ?? "",
        };
    }

    public static string? Text(TreeObject o, string key) =>
        o.Meta.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    public static long? Int(TreeObject o, string key) =>
        o.Meta.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : null;
}
