using Grove.Tree.Internal.Postgres;

namespace Grove.Tree.Internal.Providers;

/// <summary>The data folder's own content-addressed bucket: the default of the SQLite store.</summary>
internal sealed class LocalBucketProvider : IBucketProvider
{
    public const string LocalKind = "local";

    public string Kind => LocalKind;

    // Note that a mount may not name it: rows counting references under another name in the same folder would make
    // fsck take each other's blobs for orphans.
    public string? CheckSetting(string? setting) => "'local' is the data folder's default bucket, not a mount's; use lbm(Name) for a bucket of its own";

    public IBucket Open(string name, string? setting, StorageContext context) => name.Length == 0
        ? new LocalBucket(name, context.DataPath)
        : throw new TreeException(TreeErrorCode.InvalidMount, CheckSetting(setting)!);
}

/// <summary><c>lbm(Name)</c>: named local buckets under <c>&lt;data&gt;/lbm/Name</c> (the seed's LocalBM).</summary>
internal sealed class LbmBucketProvider : IBucketProvider
{
    private const string Folder = "lbm";

    public string Kind => "lbm";

    public string? CheckSetting(string? setting)
    {
        if (setting is null)
        {
            return "storage 'lbm' needs a bucket name, as in lbm(Abc)";
        }

        var bad = setting.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));
        return bad == default ? null : $"invalid character '{bad}' in the lbm bucket name '{setting}' (allowed: A-Z a-z 0-9 _ -)";
    }

    public void Check(string? setting, StorageContext context)
    {
        if (CheckSetting(setting) is { } error)
        {
            throw new TreeException(TreeErrorCode.InvalidMount, error);
        }
    }

    public IBucket Open(string name, string? setting, StorageContext context)
    {
        Check(setting, context);
        return new LocalBucket(name, Path.Combine(context.DataPath, Folder, setting!));
    }

    public async IAsyncEnumerable<string> ExistingAsync(StorageContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        var root = Path.Combine(context.DataPath, Folder);
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            yield return Kind + ":" + Path.GetFileName(dir);
        }
    }
}

/// <summary><c>pgbm(Name)</c>: content as de-duplicated chunks in the PostgreSQL store, shared by every node.</summary>
internal sealed class PgChunkBucketProvider : IBucketProvider
{
    public const string PgKind = "pgbm";

    public string Kind => PgKind;

    public void Check(string? setting, StorageContext context) => _ = Store(context);

    public IBucket Open(string name, string? setting, StorageContext context) =>
        new PgChunkBucket(name, Store(context).Postgres.Source, Path.Combine(context.DataPath, "swap"), context.Time);

    public async IAsyncEnumerable<string> ExistingAsync(StorageContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (context.Store is not PostgresStore pg)
        {
            yield break;
        }

        foreach (var name in await PgChunkBucket.NamesAsync(pg.Postgres.Source, ct))
        {
            yield return name;
        }
    }

    private static PostgresStore Store(StorageContext context) => context.Store as PostgresStore
        ?? throw new TreeException(TreeErrorCode.MountUnsupported, "storage 'pgbm' keeps content in PostgreSQL and needs a PostgreSQL store (--store postgres://…)");
}

/// <summary>Content in memory: the default bucket of the memory store.</summary>
internal sealed class MemoryBucketProvider : IBucketProvider
{
    public const string MemoryKind = "mem";

    public string Kind => MemoryKind;

    public string? CheckSetting(string? setting) => "'mem' is the memory store's default bucket; a mount keeps content in lbm(Name) or its parent's bucket";

    public IBucket Open(string name, string? setting, StorageContext context) => name.Length == 0
        ? new MemoryBucket(name)
        : throw new TreeException(TreeErrorCode.InvalidMount, CheckSetting(setting)!);
}
