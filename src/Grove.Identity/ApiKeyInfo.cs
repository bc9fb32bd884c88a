namespace Grove.Identity;

/// <summary>An API key as listed (never with its secret).</summary>
/// <param name="Id">The key id (the part after <c>gk_</c>).</param>
/// <param name="Name">The name its owner gave it.</param>
/// <param name="User">The owner.</param>
/// <param name="Created">Created, ms since the Unix epoch.</param>
/// <param name="ExpiresAt">Expiry, ms since the Unix epoch, or null for none.</param>
public sealed record ApiKeyInfo(string Id, string Name, string User, long Created, long? ExpiresAt);
