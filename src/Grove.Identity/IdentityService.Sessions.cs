using Grove.Identity.Internal;
using Grove.Tree;

namespace Grove.Identity;

public sealed partial class IdentityService
{
    /// <summary>
    /// Checks a user name and password and starts a session. Failures are counted per (user, <paramref name="clientKey"/>)
    /// (the key is for example the client's address) and per client key: a pair past
    /// <see cref="IdentityOptions.MaxFailedLogins"/> within <see cref="IdentityOptions.FailureWindow"/> waits with
    /// exponential backoff, a client key past <see cref="IdentityOptions.MaxFailedLoginsPerClient"/> waits for the
    /// window; meanwhile attempts fail with <c>rate_limited</c> and <see cref="GroveException.RetryAfter"/>. Failures from
    /// other clients never lock a user out. Unknown users and wrong passwords get the same <c>unauthorized</c> after the
    /// same hashing work.
    /// </summary>
    public async Task<LoginResult> LoginAsync(string user, string password, string clientKey, CancellationToken ct = default)
    {
        user ??= "";
        password ??= "";
        if (user.Length > 64 || password.Length > Names.MaxPassword)
        {
            throw IdentityException.Unauthorized();
        }

        if (_throttle.RetryAfter(user, clientKey) is { } wait)
        {
            throw new IdentityException(IdentityErrorCode.RateLimited,
                $"too many failed logins; try again in {Math.Ceiling(wait.TotalSeconds)} s", wait);
        }

        var record = await FindUserRecordAsync(user, ct);
        if (!await VerifyAsync(password, record?.PasswordHash, ct) || record is null)
        {
            _throttle.Fail(user, clientKey);
            throw IdentityException.Unauthorized();
        }

        _throttle.Reset(user, clientKey);
        var token = Secrets.NewToken();
        var expires = Now + (long)_options.TokenLifetime.TotalMilliseconds;
        var meta = Meta.Of((Meta.User, record.Name), (Meta.UserId, record.Id), (Meta.PasswordVersion, PasswordVersion(record.PasswordHash)));
        await _store.CreateAsync(SysPaths.Session(Secrets.Sha256Hex(token)), meta, expires, ct);
        return new LoginResult(token, expires, record.Name);
    }

    /// <summary>Ends the session of <paramref name="token"/>. Unknown, expired or malformed tokens are ignored.</summary>
    public async Task LogoutAsync(string token, CancellationToken ct = default)
    {
        if (token is null || !Secrets.IsTokenShape(token))
        {
            return;
        }

        var hash = Secrets.Sha256Hex(token);
        await _revoked.TokenAsync(hash, ct);
        await _store.DeleteAsync(SysPaths.Session(hash), ct);
        await _revoked.TokenAsync(hash, ct);
    }

    /// <summary>
    /// Who a bearer credential (session token or API key) belongs to; null when it is unknown, expired, revoked,
    /// malformed or tampered with, or its user is gone. Never throws for a bad credential.
    /// </summary>
    public async Task<Principal?> AuthenticateAsync(string bearer, CancellationToken ct = default) =>
        BearerCredential.Parse(bearer) is { } credential ? await AuthenticateCredentialAsync(credential, ct) : null;

    /// <summary>
    /// As <see cref="AuthenticateAsync(string, CancellationToken)"/> for a credential parsed once: a principal this node
    /// remembers (dropped at once when the token, key or user changes here or on another node) is answered
    /// synchronously, without allocating.
    /// </summary>
    public ValueTask<Principal?> AuthenticateCredentialAsync(BearerCredential credential, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (_cache.TryGet(credential.CacheKey, out var cached))
        {
            return ValueTask.FromResult<Principal?>(cached);
        }

        return new ValueTask<Principal?>(credential.IsKey ? AuthenticateKeyAsync(credential, ct) : AuthenticateTokenAsync(credential, ct));
    }

    private async Task<Principal?> AuthenticateTokenAsync(BearerCredential credential, CancellationToken ct)
    {
        var session = await _store.FindAsync(SysPaths.Sessions, credential.CacheKey, ct);
        if (session?.Expires is not { } expires || expires <= Now)
        {
            return null;
        }

        var principal = await OwnerAsync(session, ct);
        if (principal is not null)
        {
            _cache.Put(credential.CacheKey, principal, null, expires);
        }

        return principal;
    }

    private async Task<Principal?> AuthenticateKeyAsync(BearerCredential credential, CancellationToken ct)
    {
        if (!Secrets.TryParseKey(credential.Text, out var id, out var secret))
        {
            return null;
        }

        var key = await _store.FindAsync(SysPaths.Keys, id, ct);
        if (key is null || key.Expires <= Now
            || Meta.String(key.Meta, Meta.Hash) is not { } stored
            || !Secrets.HashEquals(Secrets.Sha256Hex(secret), stored))
        {
            return null;
        }

        var principal = await OwnerAsync(key, ct);
        if (principal is not null)
        {
            _cache.Put(credential.CacheKey, principal, id, key.Expires ?? long.MaxValue);
        }

        return principal;
    }

    /// <summary>
    /// The user a session or key belongs to, if that very user (same object id) still exists; a session also needs
    /// the password it was signed in with to be the user's password still (a change of password ends every session).
    /// </summary>
    private async Task<Principal?> OwnerAsync(TreeObject credential, CancellationToken ct)
    {
        var name = Meta.String(credential.Meta, Meta.User);
        var user = name is null ? null : await FindUserRecordAsync(name, ct);
        if (user is null || user.Id != Meta.String(credential.Meta, Meta.UserId))
        {
            return null;
        }

        var signedInWith = Meta.String(credential.Meta, Meta.PasswordVersion);
        return signedInWith is not null && signedInWith != PasswordVersion(user.PasswordHash) ? null : user.ToPrincipal();
    }

    /// <summary>A short fingerprint of a stored password hash (its salt changes with every new password).</summary>
    private static string PasswordVersion(string? hash) =>
        hash is null ? "" : Secrets.Sha256Hex(hash)[..16];
}
