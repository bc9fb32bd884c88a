namespace Grove.Client;

/// <summary>A change of a watched config: the MD5 this client now gets (null when the config was removed).</summary>
/// <param name="Key">The config.</param>
/// <param name="Md5">The MD5 of the content the client now gets; null when the config is gone.</param>
/// <param name="Revision">The store revision the server was at (0 when found by reconciliation without one).</param>
public sealed record GroveConfigChange(GroveConfigKey Key, string? Md5, long Revision);
