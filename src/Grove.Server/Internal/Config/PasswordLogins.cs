using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Grove.Identity;

namespace Grove.Server.Internal.Config;

/// <summary>
/// Some Nacos clients send <c>username</c> and <c>password</c> with every request instead of a token. Signing in on
/// each would hash the password (hundreds of milliseconds) and store a session per request; instead the first
/// request signs in and later ones with the same pair reuse that session's token until it expires. Only a hash of
/// the pair is kept as the key, and failed logins still count against the user and client as any login does.
/// </summary>
internal sealed class PasswordLogins(Func<IdentityService> identityOf, TimeProvider time)
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, LoginResult> _sessions = new(StringComparer.Ordinal);

    /// <summary>The principal of a user name and password, signing in when needed.</summary>
    /// <exception cref="IdentityException"><c>unauthorized</c> for bad credentials, <c>rate_limited</c> after too many.</exception>
    public async Task<Principal> AuthenticateAsync(string user, string password, string clientKey, CancellationToken ct)
    {
        var identity = identityOf();
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user + "\0" + password)));
        if (_sessions.TryGetValue(key, out var known) && known.ExpiresAt > time.GetUtcNow().ToUnixTimeMilliseconds() + 60_000
            && await identity.AuthenticateAsync(known.Token, ct) is { } principal)
        {
            return principal;
        }

        _sessions.TryRemove(key, out _);
        var login = await identity.LoginAsync(user, password, clientKey, ct);
        if (_sessions.Count >= MaxEntries)
        {
            _sessions.Clear();
        }

        _sessions[key] = login;
        return await identity.AuthenticateAsync(login.Token, ct) ?? throw new IdentityException(IdentityErrorCode.Unauthorized, "the new session was not accepted; sign in again");
    }
}
