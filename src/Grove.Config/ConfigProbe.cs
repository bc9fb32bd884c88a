namespace Grove.Config;

/// <summary>A config a client holds, with the MD5 of the content it has (null or empty when it has none).</summary>
/// <param name="Key">The config.</param>
/// <param name="Md5">The MD5 the client holds.</param>
public readonly record struct ConfigProbe(ConfigKey Key, string? Md5);
