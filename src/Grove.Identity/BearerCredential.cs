using Grove.Identity.Internal;

namespace Grove.Identity;

/// <summary>
/// A bearer credential (a session token or an API key) checked for shape and hashed once, in the form the identity
/// service looks it up by. A caller that sees one credential again and again (the requests of one HTTP connection)
/// parses it once and passes it to <see cref="IdentityService.AuthenticateCredentialAsync(BearerCredential, CancellationToken)"/>,
/// which still checks it against the revocable cache or the store every time.
/// </summary>
public sealed class BearerCredential
{
    // Longer than any token or key we issue; anything longer is rejected before any hashing.
    internal const int MaxChars = 256;

    private BearerCredential(string text, string cacheKey, bool isKey)
    {
        Text = text;
        CacheKey = cacheKey;
        IsKey = isKey;
    }

    /// <summary>The credential as sent.</summary>
    public string Text { get; }

    /// <summary>What the principal cache and the store know it by: the token's hash, or <c>k:</c> and the key's hash.</summary>
    internal string CacheKey { get; }

    internal bool IsKey { get; }

    /// <summary>The credential, or null when the text cannot be one (empty, too long, malformed): it never authenticates.</summary>
    public static BearerCredential? Parse(string? bearer)
    {
        if (string.IsNullOrEmpty(bearer) || bearer.Length > MaxChars)
        {
            return null;
        }

        if (bearer.StartsWith(Secrets.KeyPrefix, StringComparison.Ordinal))
        {
            return Secrets.TryParseKey(bearer, out _, out _) ? new BearerCredential(bearer, "k:" + Secrets.Sha256Hex(bearer), isKey: true) : null;
        }

        return Secrets.IsTokenShape(bearer) ? new BearerCredential(bearer, Secrets.Sha256Hex(bearer), isKey: false) : null;
    }
}
