namespace Grove.Client.Configuration.Internal;

/// <summary>The last content of a config the provider saw: what it starts from when the server cannot be reached.</summary>
internal sealed record Snapshot(string Type, string Md5, string Content, bool Secret);
