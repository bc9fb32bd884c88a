using Grove.Identity.Internal;
using Grove.Tree;

namespace Grove.Identity;

public sealed partial class IdentityService
{
    /// <summary>Creates a group of existing users (admins only).</summary>
    public async Task<GroupInfo> CreateGroupAsync(Principal actor, string name, IReadOnlyList<string> members, CancellationToken ct = default)
    {
        RequireAdmin(actor, "create groups");
        Names.Validate("group", name);
        var memberList = Names.ValidateList("user", members);
        await _writeGate.WaitAsync(ct);
        try
        {
            foreach (var member in memberList)
            {
                if (await FindUserRecordAsync(member, ct) is null)
                {
                    throw IdentityException.BadRequest($"no user '{member}'");
                }
            }

            try
            {
                await _store.CreateAsync(SysPaths.Group(name), Meta.Of((Meta.Members, memberList)), null, ct);
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
            {
                throw new IdentityException(IdentityErrorCode.AlreadyExists, $"group '{name}' already exists", null, e);
            }

            foreach (var member in memberList)
            {
                await SetUserGroupAsync(member, name, true, ct);
            }

            return new GroupInfo(name, memberList);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Groups in name order: all of them for admins, the caller's own for anyone else.</summary>
    public async Task<IReadOnlyList<GroupInfo>> ListGroupsAsync(Principal actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var all = (await _store.ListAsync(SysPaths.Groups, ct)).Select(o => new GroupInfo(o.Name, Meta.Strings(o.Meta, Meta.Members)));
        return actor.IsAdmin
            ? all.ToList()
            : all.Where(g => g.Members.Contains(actor.User, StringComparer.Ordinal) || actor.Groups.Contains(g.Name, StringComparer.Ordinal)).ToList();
    }

    /// <summary>Deletes a group and takes it off its members (admins only).</summary>
    public async Task DeleteGroupAsync(Principal actor, string name, CancellationToken ct = default)
    {
        RequireAdmin(actor, "delete groups");
        await _writeGate.WaitAsync(ct);
        try
        {
            var group = Names.IsValid(name) ? await _store.FindAsync(SysPaths.Groups, name, ct) : null;
            if (group is null || !await _store.DeleteAsync(SysPaths.Group(name), ct))
            {
                throw IdentityException.NotFound($"no group '{name}'");
            }

            foreach (var member in Meta.Strings(group.Meta, Meta.Members))
            {
                await SetUserGroupAsync(member, name, false, ct);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Adds a member to a group, creating the group if needed. Call inside the write gate.</summary>
    private async Task AddMemberAsync(string group, string user, CancellationToken ct)
    {
        var existing = await _store.FindAsync(SysPaths.Groups, group, ct);
        if (existing is null)
        {
            try
            {
                await _store.CreateAsync(SysPaths.Group(group), Meta.Of((Meta.Members, new[] { user })), null, ct);
                return;
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
            {
                existing = await _store.FindAsync(SysPaths.Groups, group, ct);
            }
        }

        var members = Meta.Strings(existing!.Meta, Meta.Members);
        if (!members.Contains(user, StringComparer.Ordinal))
        {
            await _store.SetAsync(SysPaths.Group(group), Meta.Members, members.Append(user).Order(StringComparer.Ordinal).ToList(), ct);
        }
    }

    /// <summary>Takes a member off a group, if both exist. Call inside the write gate.</summary>
    private async Task RemoveMemberAsync(string group, string user, CancellationToken ct)
    {
        if (await _store.FindAsync(SysPaths.Groups, group, ct) is not { } existing)
        {
            return;
        }

        var members = Meta.Strings(existing.Meta, Meta.Members);
        if (members.Contains(user, StringComparer.Ordinal))
        {
            await _store.SetAsync(SysPaths.Group(group), Meta.Members, members.Where(m => m != user).ToList(), ct);
        }
    }

    /// <summary>Adds a group to (or removes it from) a user's groups, if the user exists. Call inside the write gate.</summary>
    private async Task SetUserGroupAsync(string user, string group, bool member, CancellationToken ct)
    {
        if (await FindUserRecordAsync(user, ct) is not { } record || record.Groups.Contains(group, StringComparer.Ordinal) == member)
        {
            return;
        }

        var groups = member ? record.Groups.Append(group).Order(StringComparer.Ordinal).ToList() : record.Groups.Where(g => g != group).ToList();
        try
        {
            await _store.SetAsync(SysPaths.User(user), Meta.Groups, groups, ct);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
        {
            // Deleted meanwhile (by another node): nothing to update.
        }

        await _revoked.UserAsync(user, ct);
    }
}
