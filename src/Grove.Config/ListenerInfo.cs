namespace Grove.Config;

/// <summary>A client that recently probed or long-polled a config: which MD5 it held, and when it last asked.</summary>
/// <param name="Key">The config.</param>
/// <param name="Ip">The client address.</param>
/// <param name="Md5">The MD5 the client held (empty when it had none).</param>
/// <param name="LastSeen">When it last asked.</param>
/// <param name="Waiting">Whether it is holding a long poll right now.</param>
public sealed record ListenerInfo(ConfigKey Key, string Ip, string Md5, DateTimeOffset LastSeen, bool Waiting);
