namespace Grove.Identity;

/// <summary>How an <see cref="IdentityService"/> hashes passwords, issues tokens and throttles logins.</summary>
public sealed record IdentityOptions
{
    /// <summary>How long a session token from a login stays valid. Default 12 hours.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new password hashes (stored hashes keep their own). Default 600,000.</summary>
    public int PasswordIterations { get; init; } = 600_000;

    /// <summary>
    /// Failed logins allowed for one user from one client key within <see cref="FailureWindow"/> before that pair waits
    /// (one minute, doubling with each further failure, at most the window). Default 5.
    /// </summary>
    public int MaxFailedLogins { get; init; } = 5;

    /// <summary>
    /// Failed logins allowed from one client key, whatever the user names, within <see cref="FailureWindow"/> before
    /// every login from it waits for the window to slide. Default 100.
    /// </summary>
    public int MaxFailedLoginsPerClient { get; init; } = 100;

    /// <summary>The sliding window in which failed logins are counted. Default 15 minutes.</summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The password of the <c>admin</c> user created on the very first start (from <c>GROVE_ADMIN_PASSWORD</c>);
    /// null makes a random one, shown once through <see cref="IdentityService.BootstrapPassword"/>.
    /// </summary>
    public string? AdminPassword { get; init; }

    /// <summary>
    /// How long an authenticated token's principal is remembered in memory before the store is asked again. A logout,
    /// key deletion or user deletion through the same service takes effect at once regardless. Default 10 seconds.
    /// </summary>
    public TimeSpan AuthCacheLifetime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Prints the options without the admin password.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"TokenLifetime = {TokenLifetime}, PasswordIterations = {PasswordIterations}, ");
        builder.Append($"MaxFailedLogins = {MaxFailedLogins}, MaxFailedLoginsPerClient = {MaxFailedLoginsPerClient}, FailureWindow = {FailureWindow}, ");
        builder.Append($"AdminPassword = {(AdminPassword is null ? "null" : "***")}, AuthCacheLifetime = {AuthCacheLifetime}");
        return true;
    }
}
