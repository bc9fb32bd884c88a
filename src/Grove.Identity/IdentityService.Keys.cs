using Grove.Identity.Internal;
using Grove.Tree;

namespace Grove.Identity;

public sealed partial class IdentityService
{
    /// <summary>
    /// Creates an API key for the acting user. The returned <see cref="ApiKeyCreated.Key"/> is the only time the
    /// secret is seen; only its SHA-256 is stored. <paramref name="expiresAt"/> (ms since the Unix epoch) must lie ahead.
    /// </summary>
    public async Task<ApiKeyCreated> CreateApiKeyAsync(Principal actor, string name, long? expiresAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var keyName = Names.ValidateKeyName(name);
        if (expiresAt <= Now)
        {
            throw IdentityException.BadRequest("the key's expiry lies in the past");
        }

        var user = await FindUserRecordAsync(actor.User, ct) ?? throw IdentityException.Forbidden("only users can hold API keys");
        var id = Secrets.NewKeyId();
        var secret = Secrets.NewToken();
        var meta = Meta.Of((Meta.User, user.Name), (Meta.UserId, user.Id), (Meta.Name, keyName), (Meta.Hash, Secrets.Sha256Hex(secret)));
        await _store.CreateAsync(SysPaths.Key(id), meta, expiresAt, ct);
        return new ApiKeyCreated(id, keyName, Secrets.KeyPrefix + id + "_" + secret, expiresAt);
    }

    /// <summary>The acting user's unexpired API keys, without secrets (for <see cref="Principal.System"/>: everyone's).</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(Principal actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var keys = actor == Principal.System
            ? await _store.ListAsync(SysPaths.Keys, ct)
            : await _store.WhereAsync(SysPaths.Keys, Meta.User, actor.User, ct);
        var now = Now;
        return keys
            .Where(k => !(k.Expires <= now))
            .Select(k => new ApiKeyInfo(k.Name, Meta.String(k.Meta, Meta.Name) ?? "", Meta.String(k.Meta, Meta.User) ?? "", k.Created, k.Expires))
            .OrderBy(k => k.Created)
            .ThenBy(k => k.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Deletes an API key: the owner their own, admins anyone's. It stops working at once on this node.</summary>
    public async Task DeleteApiKeyAsync(Principal actor, string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var key = Secrets.IsKeyId(id) ? await _store.FindAsync(SysPaths.Keys, id, ct) : null;
        if (key is null)
        {
            throw IdentityException.NotFound($"no API key '{id}'");
        }

        if (!actor.IsAdmin && Meta.String(key.Meta, Meta.User) != actor.User)
        {
            throw IdentityException.Forbidden("you may only delete your own API keys");
        }

        await _revoked.KeyAsync(id, ct);
        if (!await _store.DeleteAsync(SysPaths.Key(id), ct))
        {
            throw IdentityException.NotFound($"no API key '{id}'");
        }

        await _revoked.KeyAsync(id, ct);
    }
}
