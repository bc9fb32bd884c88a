using System.Collections.Frozen;
using Grove.Tree.Internal.Providers;

namespace Grove.Tree.Storage;

/// <summary>
/// The storage providers a tree may use: root stores, mount indexes and buckets by kind, the kinds that are known but
/// refused (with the reason), and aliases (the seed's <c>redia</c>). The kernel asks the registry, never a kind
/// string of its own. <see cref="Default"/> holds the built-ins; a host adds a provider of its own assembly with one
/// line on <see cref="CreateDefault"/>'s result and passes it in <see cref="TreeOptions.Storage"/>.
/// </summary>
public sealed class StorageRegistry
{
    private readonly Dictionary<string, IStoreProvider> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IIndexProvider> _indexes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IBucketProvider> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<(StorageRole, string), string> _refused = [];
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private bool _frozen;

    /// <summary>The built-in providers, shared and read-only.</summary>
    public static StorageRegistry Default { get; } = CreateDefault().Freeze();

    /// <summary>
    /// A new registry with the built-ins: stores <c>sqlite</c>, <c>postgres</c>, <c>mem</c>; mount indexes <c>mem</c>,
    /// <c>file</c>; buckets <c>local</c>, <c>lbm</c>, <c>pgbm</c>, <c>mem</c>; and the seed's other kinds refused with
    /// their reason until a provider is added.
    /// </summary>
    public static StorageRegistry CreateDefault() => BuiltInProviders.AddTo(new StorageRegistry());

    /// <summary>Adds a root-store provider (replacing a refusal of its kind).</summary>
    public StorageRegistry Add(IStoreProvider provider) => Put(_stores, StorageRole.Store, provider?.Kind, provider!);

    /// <summary>Adds a mount-index provider (replacing a refusal of its kind).</summary>
    public StorageRegistry Add(IIndexProvider provider) => Put(_indexes, StorageRole.Index, provider?.Kind, provider!);

    /// <summary>Adds a bucket provider (replacing a refusal of its kind).</summary>
    public StorageRegistry Add(IBucketProvider provider) => Put(_buckets, StorageRole.Bucket, provider?.Kind, provider!);

    /// <summary>Declares a kind known but not served, with the reason every refusal names.</summary>
    public StorageRegistry Refuse(StorageRole role, string kind, string reason)
    {
        ThrowIfFrozen();
        _refused[(role, Key(kind))] = reason;
        return this;
    }

    /// <summary>Reads <paramref name="alias"/> as <paramref name="kind"/> wherever a kind is written.</summary>
    public StorageRegistry Alias(string alias, string kind)
    {
        ThrowIfFrozen();
        _aliases[Key(alias)] = Key(kind);
        return this;
    }

    /// <summary>Makes the registry read-only.</summary>
    public StorageRegistry Freeze()
    {
        _frozen = true;
        return this;
    }

    /// <summary>The canonical kind of a word as written (lower case, aliases resolved).</summary>
    public string Canonical(string word)
    {
        var k = Key(word);
        return _aliases.GetValueOrDefault(k, k);
    }

    /// <summary>Whether a provider serves a kind in a role (not refused, not unknown).</summary>
    public bool Serves(StorageRole role, string word)
    {
        var k = Canonical(word);
        return role switch
        {
            StorageRole.Store => _stores.ContainsKey(k),
            StorageRole.Index => _indexes.ContainsKey(k),
            _ => _buckets.ContainsKey(k),
        };
    }

    /// <summary>Whether a word names a kind in a role, served or refused.</summary>
    public bool Knows(StorageRole role, string word)
    {
        var k = Canonical(word);
        return _refused.ContainsKey((role, k)) || role switch
        {
            StorageRole.Store => _stores.ContainsKey(k),
            StorageRole.Index => _indexes.ContainsKey(k),
            _ => _buckets.ContainsKey(k),
        };
    }

    /// <summary>The kinds known in a role (served and refused), sorted, for messages.</summary>
    public IReadOnlyList<string> Kinds(StorageRole role)
    {
        IEnumerable<string> served = role switch
        {
            StorageRole.Store => _stores.Keys,
            StorageRole.Index => _indexes.Keys,
            _ => _buckets.Keys,
        };
        return [.. served.Concat(_refused.Keys.Where(k => k.Item1 == role).Select(k => k.Item2)).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The refused kinds of a role with their reasons.</summary>
    public IReadOnlyDictionary<string, string> Refusals(StorageRole role) =>
        _refused.Where(kv => kv.Key.Item1 == role).ToFrozenDictionary(kv => kv.Key.Item2, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>The root-store provider of a kind; throws <c>invalid_store</c> or <c>mount_unsupported</c> naming why not.</summary>
    public IStoreProvider Store(string kind) =>
        Find(_stores, StorageRole.Store, kind, TreeErrorCode.InvalidStore, "store");

    /// <summary>The mount-index provider of a kind; throws <c>mount_unsupported</c> naming why not.</summary>
    public IIndexProvider Index(string kind) =>
        Find(_indexes, StorageRole.Index, kind, TreeErrorCode.MountUnsupported, "mount type");

    /// <summary>The bucket provider of a kind; throws <c>mount_unsupported</c> naming why not.</summary>
    public IBucketProvider Bucket(string kind) =>
        Find(_buckets, StorageRole.Bucket, kind, TreeErrorCode.MountUnsupported, "mount storage");

    /// <summary>
    /// The syntax check of a setting as written in a mount expression, by the provider of the kind: null when it is
    /// well formed (or no provider serves the kind), else the message.
    /// </summary>
    public string? CheckSetting(StorageRole role, string kind, string? setting)
    {
        var k = Canonical(kind);
        return role switch
        {
            StorageRole.Index => _indexes.TryGetValue(k, out var i) ? i.CheckSetting(setting) : null,
            StorageRole.Bucket => _buckets.TryGetValue(k, out var b) ? b.CheckSetting(setting) : null,
            _ => null,
        };
    }

    /// <summary>The bucket providers, for fsck's inventory of existing buckets.</summary>
    public IReadOnlyCollection<IBucketProvider> BucketProviders => _buckets.Values;

    /// <summary>Throws <c>mount_unsupported</c> (naming the reason) unless every part of the mount is served here.</summary>
    public void EnsureSupported(MountSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.IndexType.Length > 0)
        {
            _ = Index(spec.IndexType);
        }

        if (spec.StorageKind.Length > 0 && !spec.IsFile)
        {
            _ = Bucket(spec.StorageKind);
        }
    }

    private T Find<T>(Dictionary<string, T> served, StorageRole role, string kind, string code, string what)
    {
        var k = Canonical(kind);
        if (served.TryGetValue(k, out var p))
        {
            return p;
        }

        if (_refused.TryGetValue((role, k), out var reason))
        {
            throw new TreeException(code, $"{what} '{k}' is not supported: {reason}");
        }

        throw new TreeException(code, $"unknown {what} '{k}' (known: {string.Join(", ", Kinds(role))})");
    }

    private StorageRegistry Put<T>(Dictionary<string, T> map, StorageRole role, string? kind, T provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ThrowIfFrozen();
        var k = Key(kind);
        map[k] = provider;
        _refused.Remove((role, k));
        return this;
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("this storage registry is read-only; add providers to StorageRegistry.CreateDefault()'s result");
        }
    }

    private static string Key(string word) => word.Trim().ToLowerInvariant();
}
