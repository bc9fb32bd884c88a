namespace Grove.Logs.Internal;

/// <summary>Stored lines (without the synthesized truncation marker) and the state they were read under.</summary>
internal sealed record LiveRead(IReadOnlyList<LogLine> Lines, LiveState State);
