using Grove.Identity.Internal;
using Grove.Tree;

namespace Grove.Identity;

/// <summary>
/// Users, groups, login sessions and API keys, stored as tree objects under <c>/sys</c> (mode 0700, owner and group
/// <c>admin</c>), so they live wherever the tree's index lives and are shared by every node on one PostgreSQL
/// database. Thread-safe; open one per tree and share it.
/// </summary>
public sealed partial class IdentityService : IAsyncDisposable
{
    private int _disposed;

    private const int BootstrapPasswordLength = 20;

    private readonly IdentityOptions _options;
    private readonly TimeProvider _time;
    private readonly SysStore _store;
    private readonly PrincipalCache _cache;
    private readonly Revocations _revoked;
    private readonly LoginThrottle _throttle;
    private readonly Lazy<string> _dummyHash;

    // Note that group membership is written to both the user and the group object; one writer at a time keeps the
    // two in step (on this node).
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // Note that PBKDF2 is deliberately slow; bounding how many run at once keeps a login flood from starving the CPU.
    private readonly SemaphoreSlim _kdfGate = new(Math.Max(1, Environment.ProcessorCount), Math.Max(1, Environment.ProcessorCount));

    private IdentityService(TreeService tree, IdentityOptions options)
    {
        _options = options;
        _time = options.Time;
        _store = new SysStore(tree);
        _cache = new PrincipalCache(_time, options.AuthCacheLifetime);
        _revoked = new Revocations(_cache, tree.Bus);
        _throttle = new LoginThrottle(_time, options.MaxFailedLogins, options.MaxFailedLoginsPerClient, options.FailureWindow);
        _dummyHash = new Lazy<string>(() => PasswordHasher.Hash(Secrets.NewPassword(BootstrapPasswordLength), options.PasswordIterations));
    }

    /// <summary>
    /// The generated password of the <c>admin</c> user when this open created it (the very first start without
    /// <see cref="IdentityOptions.AdminPassword"/>); null otherwise. Show it to the operator once.
    /// </summary>
    public string? BootstrapPassword { get; private set; }

    /// <summary>
    /// Opens the identity store of <paramref name="tree"/>: creates the <c>/sys</c> layout if needed and, when there
    /// is no <c>admin</c> user, creates it with <see cref="IdentityOptions.AdminPassword"/> or a random password.
    /// </summary>
    public static async Task<IdentityService> OpenAsync(TreeService tree, IdentityOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PasswordIterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFailedLogins, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFailedLoginsPerClient, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.TokenLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FailureWindow, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(options.Time);
        if (options.AdminPassword is not null)
        {
            Names.ValidatePassword(options.AdminPassword);
        }

        var service = new IdentityService(tree, options);
        await service._store.EnsureLayoutAsync(ct);
        await service.BootstrapAsync(ct);
        return service;
    }

    private async Task BootstrapAsync(CancellationToken ct)
    {
        if (await _store.FindAsync(SysPaths.Users, SysPaths.Admin, ct) is not null)
        {
            return;
        }

        var password = _options.AdminPassword ?? Secrets.NewPassword(BootstrapPasswordLength);
        var hash = await HashAsync(password, ct);
        await _writeGate.WaitAsync(ct);
        try
        {
            await _store.CreateAsync(SysPaths.User(SysPaths.Admin), UserMeta(hash, [SysPaths.Admin], true), null, ct);
            await AddMemberAsync(SysPaths.Admin, SysPaths.Admin, ct);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
        {
            return; // Another node bootstrapped at the same moment; its password stands.
        }
        finally
        {
            _writeGate.Release();
        }

        BootstrapPassword = _options.AdminPassword is null ? password : null;
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static void RequireAdmin(Principal actor, string what)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            throw IdentityException.Forbidden($"only admins may {what}");
        }
    }

    private async Task<UserRecord?> FindUserRecordAsync(string name, CancellationToken ct) =>
        Names.IsValid(name) && await _store.FindAsync(SysPaths.Users, name, ct) is { } o ? UserRecord.From(o) : null;

    /// <summary>How many password derivations (hash or verify) this service has run; for tests.</summary>
    internal long KdfRuns => Interlocked.Read(ref _kdfRuns);

    /// <summary>The hash unknown users are verified against; for tests.</summary>
    internal string DummyHash => _dummyHash.Value;

    private long _kdfRuns;

    private async Task<string> HashAsync(string password, CancellationToken ct)
    {
        await _kdfGate.WaitAsync(ct);
        try
        {
            Interlocked.Increment(ref _kdfRuns);
            return PasswordHasher.Hash(password, _options.PasswordIterations);
        }
        finally
        {
            _kdfGate.Release();
        }
    }

    /// <summary>Verifies against the stored hash, or, for an unknown user, against a dummy of the same cost.</summary>
    private async Task<bool> VerifyAsync(string password, string? stored, CancellationToken ct)
    {
        await _kdfGate.WaitAsync(ct);
        try
        {
            Interlocked.Increment(ref _kdfRuns);
            var ok = PasswordHasher.Verify(password, stored ?? _dummyHash.Value);
            return ok && stored is not null;
        }
        finally
        {
            _kdfGate.Release();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        _revoked.Dispose();
        _writeGate.Dispose();
        _kdfGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
