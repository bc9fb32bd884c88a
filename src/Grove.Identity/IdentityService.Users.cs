using System.Text.Json;
using Grove.Identity.Internal;
using Grove.Tree;

namespace Grove.Identity;

public sealed partial class IdentityService
{
    /// <summary>
    /// Creates a user (admins only). Groups that do not exist yet are created with the user as their first member.
    /// The name <c>admin</c> is reserved for an admin user, since it owns <c>/sys</c>.
    /// </summary>
    public async Task<UserInfo> CreateUserAsync(Principal actor, string name, string password, IReadOnlyList<string> groups, bool admin, CancellationToken ct = default)
    {
        RequireAdmin(actor, "create users");
        Names.Validate("user", name);
        Names.ValidatePassword(password);
        var groupList = Names.ValidateList("group", groups);
        if (name == SysPaths.Admin && !admin)
        {
            throw IdentityException.BadRequest($"the user '{SysPaths.Admin}' owns /sys and must be an admin");
        }

        var hash = await HashAsync(password, ct);
        await _writeGate.WaitAsync(ct);
        try
        {
            TreeObject created;
            try
            {
                created = await _store.CreateAsync(SysPaths.User(name), UserMeta(hash, groupList, admin), null, ct);
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
            {
                throw new IdentityException(IdentityErrorCode.AlreadyExists, $"user '{name}' already exists", null, e);
            }

            foreach (var group in groupList)
            {
                await AddMemberAsync(group, name, ct);
            }

            return UserRecord.From(created).ToInfo();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Deletes a user (admins only, not themselves) with their sessions and API keys.</summary>
    public async Task DeleteUserAsync(Principal actor, string name, CancellationToken ct = default)
    {
        RequireAdmin(actor, "delete users");
        if (actor.User == name)
        {
            throw IdentityException.BadRequest("you cannot delete yourself");
        }

        await _writeGate.WaitAsync(ct);
        try
        {
            var user = await FindUserRecordAsync(name, ct) ?? throw IdentityException.NotFound($"no user '{name}'");
            if (!await _store.DeleteAsync(SysPaths.User(name), ct))
            {
                throw IdentityException.NotFound($"no user '{name}'");
            }

            await _revoked.UserAsync(name, ct);
            foreach (var group in user.Groups)
            {
                await RemoveMemberAsync(group, name, ct);
            }
        }
        finally
        {
            _writeGate.Release();
        }

        // Note that sessions and keys also carry the user's object id, so a new user of the same name never
        // inherits them even if this clean-up is interrupted.
        foreach (var dir in new[] { SysPaths.Sessions, SysPaths.Keys })
        {
            foreach (var o in await _store.WhereAsync(dir, Meta.User, name, ct))
            {
                await _store.DeleteAsync(o.Path!, ct);
            }
        }

        await _revoked.UserAsync(name, ct);
    }

    /// <summary>
    /// Sets a user's password: users their own, giving the old one (wrong old passwords count as failed logins);
    /// admins anyone's, without it.
    /// </summary>
    public async Task ChangePasswordAsync(Principal actor, string name, string? oldPassword, string newPassword, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin && actor.User != name)
        {
            throw IdentityException.Forbidden("you may only change your own password");
        }

        Names.ValidatePassword(newPassword);
        if (!actor.IsAdmin)
        {
            if (oldPassword is null)
            {
                throw IdentityException.BadRequest("the old password is required");
            }

            if (_throttle.RetryAfter(name, null) is { } wait)
            {
                throw new IdentityException(IdentityErrorCode.RateLimited, "too many failed attempts; try again later", wait);
            }
        }

        var user = await FindUserRecordAsync(name, ct) ?? throw IdentityException.NotFound($"no user '{name}'");
        if (!actor.IsAdmin && !await VerifyAsync(oldPassword!, user.PasswordHash, ct))
        {
            _throttle.Fail(name, null);
            throw IdentityException.Forbidden("the old password is wrong");
        }

        var hash = await HashAsync(newPassword, ct);
        try
        {
            await _store.SetAsync(SysPaths.User(name), Meta.Password, hash, ct);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
        {
            throw new IdentityException(IdentityErrorCode.NotFound, $"no user '{name}'", null, e);
        }

        // Note that the new password ends every session signed in with the old one, on every node at once.
        await _revoked.UserAsync(name, ct);
    }

    /// <summary>All users, in name order (admins only).</summary>
    public async Task<IReadOnlyList<UserInfo>> ListUsersAsync(Principal actor, CancellationToken ct = default)
    {
        RequireAdmin(actor, "list users");
        var all = await _store.ListAsync(SysPaths.Users, ct);
        return all.Select(o => UserRecord.From(o).ToInfo()).ToList();
    }

    /// <summary>
    /// The principal of an existing user, without a password: for tools that already hold the data folder and act on a
    /// user's behalf (the CLI's local mode with <c>--as USER</c>). Null when there is no such user.
    /// </summary>
    public async Task<Principal?> PrincipalOfAsync(string user, CancellationToken ct = default) =>
        (await FindUserRecordAsync(user, ct))?.ToPrincipal();

    /// <summary>One user, or null when there is none (or the name is not a valid user name).</summary>
    public async Task<UserInfo?> FindUserAsync(string name, CancellationToken ct = default) =>
        (await FindUserRecordAsync(name, ct))?.ToInfo();

    private static Dictionary<string, JsonElement> UserMeta(string hash, IReadOnlyList<string> groups, bool admin) =>
        Meta.Of((Meta.Password, hash), (Meta.Groups, groups), (Meta.Admin, admin));
}
