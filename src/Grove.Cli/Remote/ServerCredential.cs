namespace Grove.Cli.Remote;

/// <summary>The token <c>grove login</c> stored for one server.</summary>
/// <param name="User">Who signed in.</param>
/// <param name="Token">The bearer token.</param>
/// <param name="ExpiresAt">When the token expires, ms since the Unix epoch.</param>
internal sealed record ServerCredential(string User, string Token, long ExpiresAt);
