using System.Globalization;

namespace Grove.Config.Internal;

/// <summary>
/// Where configs live in the tree. Keys map to paths segment by segment, so a lookup is a path resolution (cached)
/// and a group is a directory listing; history is one flat folder named by zero-padded revision, so the change feed
/// is a keyset listing in revision order.
/// </summary>
internal static class ConfigPaths
{
    public const string Root = "/sys/config";
    public const string Revision = "/sys/config/rev";
    public const string Items = "/sys/config/items";
    public const string Betas = "/sys/config/beta";
    public const string History = "/sys/config/history";

    /// <summary>Records the id of the master key the store was first opened with (create-only, so two first nodes cannot both win).</summary>
    public const string MasterKey = "/sys/config/master-key";

    /// <summary>The folder name of the default namespace: '@' is not allowed in tenants, so no tenant can collide with it.</summary>
    public const string DefaultTenantDir = "@default";

    public static readonly IReadOnlyList<string> Dirs = [Root, Items, Betas, History];

    public static string TenantDir(string tenant) => tenant.Length == 0 ? DefaultTenantDir : tenant;

    public static string TenantOf(string dir) => dir == DefaultTenantDir ? "" : dir;

    public static string Item(ConfigKey key) => $"{Items}/{TenantDir(key.Tenant)}/{key.Group}/{key.DataId}";

    public static string Beta(ConfigKey key) => $"{Betas}/{TenantDir(key.Tenant)}/{key.Group}/{key.DataId}";

    public static string HistoryEntry(long rev) => $"{History}/{Pad(rev)}";

    /// <summary>A revision as a name that sorts like the number (19 digits hold any long).</summary>
    public static string Pad(long rev) => rev.ToString("D19", CultureInfo.InvariantCulture);

    public static long Unpad(string name) => long.Parse(name, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The key of a path under <paramref name="top"/> (<c>top/tenant/group/dataId</c>), or null for anything else.</summary>
    public static ConfigKey? KeyOf(string top, string path)
    {
        if (!path.StartsWith(top + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = path[(top.Length + 1)..].Split('/');
        return parts.Length == 3 && ConfigKey.Validate(parts[2], parts[1], TenantOf(parts[0])) is null
            ? ConfigKey.Create(parts[2], parts[1], TenantOf(parts[0]))
            : null;
    }

    /// <summary>The one-string form of a key stored in history entries (<c>tenant/group/dataId</c>; parts hold no '/').</summary>
    public static string Compact(ConfigKey key) => $"{key.Tenant}/{key.Group}/{key.DataId}";

    public static ConfigKey? FromCompact(string? text)
    {
        var parts = text?.Split('/');
        return parts is { Length: 3 } && ConfigKey.Validate(parts[2], parts[1], parts[0]) is null
            ? ConfigKey.Create(parts[2], parts[1], parts[0])
            : null;
    }
}
