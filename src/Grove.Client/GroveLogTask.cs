using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>A task and the state of its log, as the server reports it.</summary>
public sealed record GroveLogTask
{
    /// <summary>The task id (26 lower-case characters, sortable by creation time).</summary>
    public required string Id { get; init; }

    /// <summary>The name given at creation.</summary>
    public required string Name { get; init; }

    /// <summary>The user who created (owns) the task.</summary>
    public string? Owner { get; init; }

    /// <summary>Labels given at creation.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Running, or how it finished.</summary>
    public GroveLogStatus Status { get; init; }

    /// <summary>The exit code given when finishing, if any.</summary>
    public int? ExitCode { get; init; }

    /// <summary>When the task was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it finished; null while running.</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>Lines received: the next line number the task expects.</summary>
    public long Lines { get; init; }

    /// <summary>Text bytes received.</summary>
    public long Bytes { get; init; }

    /// <summary>True when the server's limits cut lines or dropped part of the log (see the marker lines).</summary>
    public bool Truncated { get; init; }

    /// <summary>True once the log is in its compressed archive (else the live store serves it).</summary>
    public bool Archived { get; init; }

    /// <summary>The tree path of the task's object.</summary>
    public string Path { get; init; } = "";

    internal static GroveLogTask FromJson(JsonElement e) => new()
    {
        Id = Wire.Str(e, "id"),
        Name = Wire.Str(e, "name"),
        Owner = Wire.OptStr(e, "owner"),
        Labels = Wire.Strings(e, "labels"),
        Status = GroveLogStatusNames.Parse(Wire.OptStr(e, "status")),
        ExitCode = Wire.OptLong(e, "exitCode") is { } x ? (int)x : null,
        Created = Wire.Time(e, "created"),
        Finished = Wire.OptTime(e, "finished"),
        Lines = Wire.Long(e, "lines"),
        Bytes = Wire.Long(e, "bytes"),
        Truncated = Wire.Bool(e, "truncated"),
        Archived = Wire.OptStr(e, "storage") == "archived",
        Path = Wire.Str(e, "path"),
    };
}
