using System.Globalization;
using System.Text;

namespace Grove.Messages;

/// <summary>
/// The final verification of a migration: messages and fields counted on both sides, what was kept unmapped or
/// unconverted, and a random sample of messages compared field by field with the legacy rows.
/// </summary>
public sealed record MigrationReport
{
    /// <summary>The run's id (the same source and table always give the same id, so <c>--resume</c> finds it).</summary>
    public required string Run { get; init; }

    /// <summary>The source (no password) and table.</summary>
    public required string Source { get; init; }

    /// <summary>Mappings generated from the legacy config and published before the data moved (dataIds).</summary>
    public IReadOnlyList<string> MappingsPublished { get; init; } = [];

    /// <summary>Ranges in the run, and how many had been committed before this invocation (a resume).</summary>
    public int Ranges { get; init; }

    /// <summary>Ranges committed by earlier invocations (skipped by this resume).</summary>
    public int RangesResumed { get; init; }

    /// <summary>Legacy messages (distinct ids) counted in the source.</summary>
    public long SourceMessages { get; init; }

    /// <summary>Legacy rows counted in the source.</summary>
    public long SourceRows { get; init; }

    /// <summary>Legacy rows with a value (null and empty values are absent from documents).</summary>
    public long SourceFields { get; init; }

    /// <summary>Messages of this run counted in the store.</summary>
    public long TargetMessages { get; init; }

    /// <summary>Fields counted in those messages' documents.</summary>
    public long TargetFields { get; init; }

    /// <summary>Legacy messages not written because a message of the partner with that source id already existed.</summary>
    public long Skipped { get; init; }

    /// <summary>Values kept under their legacy names because no mapping field reads them.</summary>
    public long Unmapped { get; init; }

    /// <summary>Values kept as text because they did not convert to their field's type.</summary>
    public long Unconverted { get; init; }

    /// <summary>Required fields missing from legacy messages (the messages are kept).</summary>
    public long MissingRequired { get; init; }

    /// <summary>Empty legacy values filled with the field's default.</summary>
    public long Filled { get; init; }

    /// <summary>Messages compared field by field.</summary>
    public int SampleChecked { get; init; }

    /// <summary>Differences found by the sample (empty when it matched).</summary>
    public IReadOnlyList<string> Mismatches { get; init; } = [];

    /// <summary>Rows moved by this invocation, its time and rate.</summary>
    public long RowsMoved { get; init; }

    /// <summary>How long this invocation moved data (verification excluded).</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>How long the verification took.</summary>
    public TimeSpan VerifyElapsed { get; init; }

    /// <summary>Rows per second of this invocation.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsMoved / Elapsed.TotalSeconds : 0;

    /// <summary>True when the counts agree on both sides and the sample matched.</summary>
    public bool Ok =>
        TargetMessages + Skipped == SourceMessages
        && (Skipped > 0 || TargetFields == SourceFields + Filled)
        && Mismatches.Count == 0;

    /// <summary>The report as text, one fact a line.</summary>
    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"migration {Run} from {Source}: {(Ok ? "verified" : "NOT VERIFIED")}");
        if (MappingsPublished.Count > 0)
        {
            sb.AppendLine(c, $"mappings generated and published: {string.Join(", ", MappingsPublished)}");
        }

        sb.AppendLine(c, $"ranges: {Ranges} ({RangesResumed} committed before this run)");
        sb.AppendLine(c, $"messages: source {SourceMessages:N0} · stored {TargetMessages:N0} · skipped (already present) {Skipped:N0}");
        sb.AppendLine(c, $"fields: source rows {SourceRows:N0}, with a value {SourceFields:N0} · in documents {TargetFields:N0} (defaults filled {Filled:N0})");
        sb.AppendLine(c, $"kept: unmapped {Unmapped:N0} · unconverted {Unconverted:N0} · required missing {MissingRequired:N0}");
        sb.AppendLine(c, $"sample: {SampleChecked} messages compared field by field, {Mismatches.Count} differences");
        foreach (var m in Mismatches.Take(20))
        {
            sb.AppendLine(c, $"  {m}");
        }

        sb.AppendLine(c, $"moved {RowsMoved:N0} rows in {Elapsed.TotalSeconds:F1} s ({RowsPerSecond:N0} rows/s); verification {VerifyElapsed.TotalSeconds:F1} s");
        return sb.ToString();
    }
}
