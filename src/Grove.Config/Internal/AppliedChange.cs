namespace Grove.Config.Internal;

/// <summary>A committed change: its revision, and the states it wrote as stored (with times and versions).</summary>
internal sealed record AppliedChange(Change Change, long Rev, StoredConfig? Main, StoredBeta? Beta);
