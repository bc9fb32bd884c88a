using System.Text.Json;
using Grove.Tree.Internal;

namespace Grove.Tree;

public sealed partial class TreeService
{
    private const int DefaultDirMode = 0b111_101_101;
    private const int MaxRetries = 64;

    /// <summary>Creates a directory (with missing parents); an existing directory is returned as it is.</summary>
    public Task<TreeObject> MkdirAsync(string path, CreateOptions? options = null, CancellationToken ct = default) =>
        CreateAsync(path, ObjectRace.Dir, (options ?? new CreateOptions()) with { ExistOk = options?.ExistOk ?? true }, ct);

    /// <summary>Creates an empty file or a directory. Fails with <c>already_exists</c> unless <see cref="CreateOptions.ExistOk"/>.</summary>
    public async Task<TreeObject> CreateAsync(string path, ObjectRace race, CreateOptions? options = null, CancellationToken ct = default)
    {
        var loc = await CreateLocatedAsync(TreeNames.Normalize(path), race, options ?? new CreateOptions(), ct);
        return loc.Object;
    }

    internal async Task<Located> CreateLocatedAsync(string norm, ObjectRace race, CreateOptions options, CancellationToken ct)
    {
        if (norm == "/")
        {
            return race == ObjectRace.Dir && options.ExistOk
                ? (await LocateAsync(norm, ct))!
                : throw TreeException.Exists("/");
        }

        for (var attempt = 0; ; attempt++)
        {
            // Note that a plain create does not look first: the unique (pid, nm) index decides, saving a read.
            var existing = options.ExistOk ? await LocateAsync(norm, ct) : _cache.TryGetPath(norm, out var hit) ? hit : null;
            if (existing is not null)
            {
                return Existing(existing);
            }

            var (parentPath, name) = SplitPath(norm);
            TreeNames.ValidateName(name);
            var parent = await LocateAsync(parentPath, ct);
            if (parent is null)
            {
                parent = options.Parents
                    ? await CreateLocatedAsync(parentPath, ObjectRace.Dir, options with { ExistOk = true, Meta = null, Labels = null, Expires = null, Mime = null, Mode = null }, ct)
                    : throw TreeException.NotFound(parentPath);
            }

            if (!parent.Object.IsDir)
            {
                throw new TreeException(TreeErrorCode.NotADirectory, $"{parentPath} is a file");
            }

            var (ctx, bucket) = await ChildContextAsync(parent, ct);
            var row = NewRow(ctx, parent, name, race, options);
            try
            {
                await ctx.Indexer.CommitAsync(new ChangeSet().Insert(row), ct);
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists && attempt < MaxRetries)
            {
                if (await LocateAsync(norm, ct) is { } winner)
                {
                    return Existing(winner);
                }

                continue; // Gone again already: try once more.
            }

            _cache.Invalidate(norm, ctx.PublicId(row.Id));
            return new Located(ctx.ToPublic(row, norm), ctx, bucket);
        }

        Located Existing(Located existing)
        {
            if (options.ExistOk && existing.Object.Race == race)
            {
                return existing;
            }

            throw existing.Object.Race != race && options.ExistOk
                ? new TreeException(race == ObjectRace.Dir ? TreeErrorCode.NotADirectory : TreeErrorCode.IsADirectory, $"{norm} exists and is a {(existing.Object.IsDir ? "directory" : "file")}")
                : TreeException.Exists(norm);
        }
    }

    private TreeObject NewRow(MountContext ctx, Located parent, string name, ObjectRace race, CreateOptions o)
    {
        if (o.Meta is { Count: > 0 } || o.Labels is { Count: > 0 })
        {
            EnsureMetaSupported(ctx);
        }

        var now = Now;
        var isFile = race == ObjectRace.File;
        return new TreeObject
        {
            Id = ctx.Indexer.NewId(ctx.LocalId(parent.Object.Id), name),
            ParentId = ctx.LocalId(parent.Object.Id),
            Name = name,
            Race = race,
            Type = isFile ? TreeNames.TypeOf(name) : null,
            Mime = isFile ? o.Mime ?? TreeNames.MimeOf(name) : null,
            Sha256 = isFile ? EmptySha256 : null,
            IsInline = isFile,
            Inline = isFile ? [] : null,
            Labels = o.Labels ?? [],
            Creator = o.User,
            Modifier = o.User,
            Group = o.Group ?? parent.Object.Group,
            Mode = o.Mode ?? InheritedMode(parent.Object, isFile),
            Created = now,
            Modified = now,
            Expires = o.Expires,
            Version = 1,
            Meta = o.Meta is null ? TreeObject.EmptyMeta : MetaRules.Validate(o.Meta),
        };
    }

    /// <summary>
    /// A new object's mode when none is given: a directory takes its parent's, a file its parent's without the list
    /// bits (so under a 0750 directory files are 0640, under /sys's 0700 they are 0600).
    /// </summary>
    private static int InheritedMode(TreeObject parent, bool isFile)
    {
        var mode = parent.Mode == 0 ? DefaultDirMode : parent.Mode;
        return isFile ? mode & ~0b001_001_001 : mode;
    }

    internal const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static void EnsureMetaSupported(MountContext ctx)
    {
        if (!ctx.Indexer.Capabilities.HasFlag(IndexerCapabilities.CustomMeta))
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"objects in a '{ctx.Indexer.Kind}' mount cannot hold custom metadata or labels");
        }
    }

    /// <summary>
    /// Whether an object in hand may stand for the stored row on a first attempt: the SQL indexers check the version
    /// on update and keep inline content they were not given (<c>keepinl</c>).
    /// </summary>
    private static bool TrustsInHand(MountContext ctx, TreeObject o) => o.Version > 0 && ctx.Indexer.Capabilities.HasFlag(IndexerCapabilities.VersionedUpdates);

    /// <summary>
    /// Reads the stored row, applies <paramref name="change"/>, and commits it if the row did not change meanwhile,
    /// retrying otherwise. <paramref name="change"/> returns the new row (version is set here) and extra changes.
    /// </summary>
    internal async Task<Located> MutateAsync(Located loc, Func<TreeObject, (TreeObject Row, ChangeSet? Extra)> change, CancellationToken ct, bool structural = false)
    {
        var ctx = loc.Context;
        var localId = ctx.LocalId(loc.Object.Id);
        for (var attempt = 0; ; attempt++)
        {
            // Note that the object in hand usually is the stored row (the cache holds committed rows): try it first,
            // since the version check of the update refuses it if it is stale, and only then read the row afresh.
            var current = attempt == 0 && TrustsInHand(ctx, loc.Object)
                ? ctx.ToLocal(loc.Object)
                : await ctx.Indexer.GetAsync(localId, ct) ?? throw TreeException.NotFound(loc.Path);
            var (row, extra) = change(current);
            row = row with { Version = current.Version + 1 };
            var set = extra ?? new ChangeSet();
            set.Update(row, current.Version);
            set.Structural |= structural;
            long generation;
            try
            {
                await ctx.Indexer.CommitAsync(set, ct);
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.Conflict && attempt < MaxRetries)
            {
                continue;
            }
            finally
            {
                generation = _cache.Invalidate(loc.Path, loc.Object.Id);
            }

            var done = loc with { Object = ctx.ToPublic(row, loc.Path) };
            if (!structural && row.ParentId == current.ParentId && row.Name == current.Name)
            {
                // Note that the committed row is cached at once (the next stat of a file just written costs no read),
                // unless it moved (its old path must not find it); any change that lands meanwhile, here or from
                // another node, moves the generation and undoes the put.
                _cache.Put(done, generation);
            }

            return done;
        }
    }

    /// <summary>Sets and removes metadata keys. A null value removes the key. Returns the updated object.</summary>
    public async Task<TreeObject> SetMetaAsync(string path, IReadOnlyDictionary<string, object?> set, IEnumerable<string>? unset = null, string? user = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        var loc = await RequireAsync(path, ct);
        var removals = unset?.ToList() ?? [];
        var changes = set.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var key in removals)
        {
            changes[key] = null;
        }

        if (changes.Keys.Any(k => !MetaRules.IsSettableBuiltIn(k)))
        {
            EnsureMetaSupported(loc.Context);
        }

        var done = await MutateAsync(loc, row => (MetaRules.Apply(row, changes) with { Modifier = user ?? row.Modifier }, null), ct);
        return done.Object;
    }

    /// <summary>Adds <paramref name="delta"/> to a numeric custom key (missing counts as 0), atomically. Returns the new value.</summary>
    public async Task<long> IncrementAsync(string path, string key, long delta = 1, CancellationToken ct = default)
    {
        MetaRules.ValidateKey(key);
        var loc = await RequireAsync(path, ct);
        EnsureMetaSupported(loc.Context);
        long result = 0;
        await MutateAsync(loc, row =>
        {
            var current = row.Meta.TryGetValue(key, out var e) ? e : default;
            var value = current.ValueKind switch
            {
                JsonValueKind.Undefined or JsonValueKind.Null => 0L,
                JsonValueKind.Number when current.TryGetInt64(out var l) => l,
                _ => throw new TreeException(TreeErrorCode.InvalidMeta, $"'{key}' of {loc.Path} is not an integer"),
            };
            result = checked(value + delta);
            var meta = new Dictionary<string, JsonElement>(row.Meta, StringComparer.Ordinal) { [key] = JsonValues.FromPlain(result) };
            return (row with { Meta = meta }, null);
        }, ct);
        return result;
    }
}
