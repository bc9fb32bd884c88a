using System.Text.Json;
using Grove.Tree;
using M = Grove.Config.Internal.ConfigMeta;

namespace Grove.Config.Internal;

/// <summary>Tree objects to stored configs, betas and history entries, and back.</summary>
internal static class StoredCodec
{
    public static StoredConfig Main(ConfigKey key, TreeObject o, byte[] body) => new()
    {
        Key = key,
        Body = body,
        Sealed = M.Bool(o.Meta, M.Sealed),
        Type = ConfigTypes.TryParse(M.String(o.Meta, M.Type)) ?? ConfigType.Text,
        Description = M.String(o.Meta, M.Description),
        Tags = M.Strings(o.Meta, M.Tags),
        App = M.String(o.Meta, M.App),
        Secret = M.Bool(o.Meta, M.Secret),
        Rev = M.Long(o.Meta, M.Rev),
        Created = o.Created,
        CreatedBy = o.Creator,
        Modified = o.Modified,
        ModifiedBy = o.Modifier,
        SourceIp = M.String(o.Meta, M.Ip),
        Version = o.Version,
    };

    public static StoredBeta Beta(ConfigKey key, TreeObject o, byte[] body) => new()
    {
        Key = key,
        Body = body,
        Sealed = M.Bool(o.Meta, M.Sealed),
        Ips = M.Strings(o.Meta, M.Ips),
        Labels = M.Strings(o.Meta, M.Labels),
        Rev = M.Long(o.Meta, M.Rev),
        Modified = o.Modified,
        ModifiedBy = o.Modifier,
        SourceIp = M.String(o.Meta, M.Ip),
        Version = o.Version,
    };

    public static HistoryRecord? History(TreeObject o, byte[]? body)
    {
        if (ConfigPaths.FromCompact(M.String(o.Meta, M.Key)) is not { } key || !long.TryParse(o.Name, out var id))
        {
            return null;
        }

        return new HistoryRecord
        {
            Id = id,
            Key = key,
            Op = M.ParseOp(M.String(o.Meta, M.Op)),
            Body = body,
            Sealed = M.Bool(o.Meta, M.Sealed),
            Md5 = M.String(o.Meta, M.Md5),
            Type = ConfigTypes.TryParse(M.String(o.Meta, M.Type)) ?? ConfigType.Text,
            Description = M.String(o.Meta, M.Description),
            Tags = M.Strings(o.Meta, M.Tags),
            App = M.String(o.Meta, M.App),
            Secret = M.Bool(o.Meta, M.Secret),
            BetaIps = M.Strings(o.Meta, M.Ips),
            BetaLabels = M.Strings(o.Meta, M.Labels),
            User = o.Creator,
            SourceIp = M.String(o.Meta, M.Ip),
            At = o.Created,
        };
    }

    public static BatchFile File(StoredConfig c, long rev) => new()
    {
        Content = c.Body,
        Meta = M.Of(
            (M.Rev, rev),
            (M.Md5, c.Sealed ? null : Md5Hex.Of(c.Body)),
            (M.Type, ConfigTypes.Name(c.Type)),
            (M.Description, c.Description),
            (M.Tags, c.Tags),
            (M.App, c.App),
            (M.Secret, c.Secret),
            (M.Sealed, c.Sealed),
            (M.Ip, c.SourceIp)),
    };

    public static BatchFile File(StoredBeta b, long rev) => new()
    {
        Content = b.Body,
        Meta = M.Of(
            (M.Rev, rev),
            (M.Md5, b.Sealed ? null : Md5Hex.Of(b.Body)),
            (M.Ips, b.Ips),
            (M.Labels, b.Labels),
            (M.Sealed, b.Sealed),
            (M.Ip, b.SourceIp)),
    };

    public static BatchFile File(HistoryRecord h, long rev, long? expires) => new()
    {
        Content = h.Body ?? [],
        Expires = expires,
        Meta = M.Of(
            (M.Rev, rev),
            (M.Key, ConfigPaths.Compact(h.Key)),
            (M.Tenant, h.Key.Tenant.Length == 0 ? ConfigPaths.DefaultTenantDir : h.Key.Tenant),
            (M.Op, M.OpName(h.Op)),
            (M.Md5, h.Sealed ? null : h.Md5),
            (M.Type, ConfigTypes.Name(h.Type)),
            (M.Description, h.Description),
            (M.Tags, h.Tags),
            (M.App, h.App),
            (M.Secret, h.Secret),
            (M.Sealed, h.Sealed),
            (M.Ips, h.BetaIps),
            (M.Labels, h.BetaLabels),
            (M.Ip, h.SourceIp)),
    };

    public static Dictionary<string, JsonElement> Counter(long n) => M.Of((M.Counter, n));
}
