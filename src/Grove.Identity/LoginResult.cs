namespace Grove.Identity;

/// <summary>A successful login: the session token (shown once), when it expires, and who logged in.</summary>
/// <param name="Token">The bearer token; only its SHA-256 is stored.</param>
/// <param name="ExpiresAt">Expiry, ms since the Unix epoch.</param>
/// <param name="User">The user name.</param>
public sealed record LoginResult(string Token, long ExpiresAt, string User)
{
    /// <summary>Prints the result without the token.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Token = ***, ExpiresAt = {ExpiresAt}, User = {User}");
        return true;
    }
}
