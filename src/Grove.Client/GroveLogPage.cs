using System.Text.Json;
using Grove.Client.Internal;
using Grove.Logs;

namespace Grove.Client;

/// <summary>A page of a task's lines.</summary>
/// <param name="Lines">The lines, in order of number.</param>
/// <param name="From">The first line number asked for.</param>
/// <param name="Next">Where the next page starts (pass it as <c>from</c>); the total at the end.</param>
/// <param name="Total">Lines in the log so far.</param>
/// <param name="Finished">True when the task is finished: no line will be added.</param>
/// <param name="Archived">True when the archive answered (else the live store).</param>
public sealed record GroveLogPage(IReadOnlyList<LogLine> Lines, long From, long Next, long Total, bool Finished, bool Archived)
{
    internal static GroveLogPage FromJson(JsonElement e) => new(
        e.TryGetProperty("lines", out var lines) ? Wire.List(lines, LineOf) : [],
        Wire.Long(e, "from"),
        Wire.Long(e, "next"),
        Wire.Long(e, "total"),
        Wire.Bool(e, "finished"),
        Wire.OptStr(e, "storage") == "archived");

    internal static LogLine LineOf(JsonElement e) => new(Wire.Long(e, "n"), Wire.Long(e, "t"), Wire.Str(e, "text"));
}
