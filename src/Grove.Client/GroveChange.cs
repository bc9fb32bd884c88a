using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>
/// One committed change of the tree from the change feed, or a resync marker (<see cref="IsResync"/>): the feed no
/// longer holds what followed the revision the reader had, so re-read what it follows and continue from
/// <see cref="Revision"/>.
/// </summary>
/// <param name="Revision">The change's revision (resume after it).</param>
/// <param name="Kind"><c>create</c>, <c>write</c>, <c>meta</c>, <c>move</c>, <c>delete</c>, or <c>resync</c>.</param>
/// <param name="Path">The object's path after the change (its last path for a delete); empty for a resync.</param>
/// <param name="OldPath">Where a moved object was.</param>
/// <param name="Id">The object's id.</param>
/// <param name="IsDir">Whether it is a directory.</param>
/// <param name="Version">Its version after the change (0 for a delete).</param>
/// <param name="User">Who made the change, when known.</param>
/// <param name="Time">When it committed (Unix ms).</param>
public sealed record GroveChange(long Revision, string Kind, string Path, string? OldPath, string Id, bool IsDir, long Version, string? User, long Time)
{
    /// <summary>True for the resync marker.</summary>
    public bool IsResync => Kind == "resync";

    internal static GroveChange FromJson(JsonElement e) => new(
        e.GetProperty("revision").GetInt64(),
        Wire.Str(e, "kind"),
        Wire.Str(e, "path"),
        Wire.OptStr(e, "oldPath"),
        Wire.Str(e, "id"),
        e.TryGetProperty("dir", out var d) && d.GetBoolean(),
        e.TryGetProperty("version", out var v) ? v.GetInt64() : 0,
        Wire.OptStr(e, "user"),
        e.TryGetProperty("time", out var t) ? t.GetInt64() : 0);

    internal static GroveChange Resync(long revision) => new(revision, "resync", "", null, "", false, 0, null, 0);
}

/// <summary>A page of the change feed.</summary>
/// <param name="Changes">Changes under the path, in revision order.</param>
/// <param name="Revision">Ask again after this revision.</param>
/// <param name="Resync">True when the feed no longer holds what followed the revision asked for.</param>
public sealed record GroveChangePage(IReadOnlyList<GroveChange> Changes, long Revision, bool Resync);
