namespace Grove.Config;

/// <summary>A change the engine applied to what it serves (made here, on another node, or found by reconciliation).</summary>
/// <param name="Key">The config.</param>
/// <param name="Revision">The store revision of the change.</param>
/// <param name="Md5">The released content's MD5 now; null when the config was removed.</param>
/// <param name="BetaMd5">The beta content's MD5 now; null without a beta.</param>
public sealed record ConfigChange(ConfigKey Key, long Revision, string? Md5, string? BetaMd5);
