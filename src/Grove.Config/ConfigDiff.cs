namespace Grove.Config;

/// <summary>A line diff between two versions of a config, in unified format.</summary>
/// <param name="Key">The config.</param>
/// <param name="FromId">The older version's history id (0 for "nothing").</param>
/// <param name="ToId">The newer version's history id, or the current revision.</param>
/// <param name="Unified">The diff as <c>diff -u</c> prints it (empty when equal).</param>
/// <param name="Added">Lines added.</param>
/// <param name="Removed">Lines removed.</param>
public sealed record ConfigDiff(ConfigKey Key, long FromId, long ToId, string Unified, int Added, int Removed);
