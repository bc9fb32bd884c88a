using System.Text.Json;

namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Creates and changes rows: the create that lets the unique (pid, nm) index decide, and the one compare-and-swap loop
/// (<see cref="MutateAsync"/>) every other change goes through, keeping the cache in step with what committed.
/// </summary>
internal sealed class RowWriter(PathResolver paths, MountTable mounts, TimeProvider time, ChangeLog changes)
{
    public ChangeLog Changes => changes;

    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public const int MaxRetries = 64;
    private const int DefaultDirMode = 0b111_101_101;

    private ObjectCache Cache => paths.Cache;

    public long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<Located> CreateLocatedAsync(string norm, ObjectRace race, CreateOptions options, CancellationToken ct)
    {
        if (norm == "/")
        {
            return race == ObjectRace.Dir && options.ExistOk
                ? (await paths.LocateAsync(norm, ct))!
                : throw TreeException.Exists("/");
        }

        for (var attempt = 0; ; attempt++)
        {
            // Note that a plain create does not look first: the unique (pid, nm) index decides, saving a read.
            var existing = options.ExistOk ? await paths.LocateAsync(norm, ct) : Cache.TryGetPath(norm, out var hit) ? hit : null;
            if (existing is not null)
            {
                return Existing(existing);
            }

            var (parentPath, name) = PathResolver.SplitPath(norm);
            TreeNames.ValidateName(name);
            var parent = await paths.LocateAsync(parentPath, ct);
            if (parent is null)
            {
                parent = options.Parents
                    ? await CreateParentsAsync(parentPath, options with { ExistOk = true, Meta = null, Labels = null, Expires = null, Mime = null, Mode = null }, ct)
                    : throw TreeException.NotFound(parentPath);
            }

            if (!parent.Object.IsDir)
            {
                throw new TreeException(TreeErrorCode.NotADirectory, $"{parentPath} is a file");
            }

            var (ctx, bucket) = await mounts.ChildContextAsync(parent, ct);
            var row = NewRow(ctx, parent, name, race, options);
            try
            {
                await changes.CommitAsync(ctx, new ChangeSet().Insert(row), [new PendingChange(ChangeKind.Create, norm, null, ctx.PublicId(row.Id), row.IsDir, row.Version, options.User)], ct);
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists && attempt < MaxRetries)
            {
                if (await paths.LocateAsync(norm, ct) is { } winner)
                {
                    return Existing(winner);
                }

                continue; // Gone again already: try once more.
            }

            Cache.Invalidate(norm, ctx.PublicId(row.Id));
            return new Located(ctx.ToPublic(row, norm), ctx, bucket) { Uncached = mounts.ChildrenChangeOutside(parent) };
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

    /// <summary>Creates the missing directories of a path top down, each under the one just made (linear in the depth).</summary>
    private async Task<Located> CreateParentsAsync(string dirPath, CreateOptions dirOptions, CancellationToken ct)
    {
        var (current, end) = await paths.NearestAsync(dirPath, ct);
        while (end < dirPath.Length)
        {
            if (!current.Object.IsDir)
            {
                throw new TreeException(TreeErrorCode.NotADirectory, $"{current.Path} is a file");
            }

            var next = dirPath.IndexOf('/', end + 1);
            next = next < 0 ? dirPath.Length : next;
            var name = dirPath[(end + 1)..next];
            TreeNames.ValidateName(name);
            var path = dirPath[..next];
            var (ctx, bucket) = await mounts.ChildContextAsync(current, ct);
            var row = NewRow(ctx, current, name, ObjectRace.Dir, dirOptions);
            try
            {
                var before = Cache.Generation;
                await ctx.Indexer.CommitAsync(new ChangeSet().Insert(row), ct);
                var gen = Cache.Invalidate(path, ctx.PublicId(row.Id));
                current = new Located(ctx.ToPublic(row, path), ctx, bucket);
                Cache.PutAfterCommit(current, before, gen, 1);
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
            {
                // Another writer made it first: take theirs (the create below checks it is a directory).
                current = await paths.LocateAsync(path, ct) ?? throw new TreeException(TreeErrorCode.Conflict, $"{path} changed while its parents were being created");
            }

            end = next;
        }

        return current;
    }

    public TreeObject NewRow(MountContext ctx, Located parent, string name, ObjectRace race, CreateOptions o)
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

    public static void EnsureMetaSupported(MountContext ctx)
    {
        if (!ctx.Indexer.Capabilities.HasFlag(IndexerCapabilities.CustomMeta))
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"objects in a '{ctx.Indexer.Kind}' mount cannot hold custom metadata or labels");
        }
    }

    /// <summary>
    /// Whether an object in hand may stand for the stored row on a first attempt: indexers with versioned updates check
    /// the version on update and keep inline content they were not given.
    /// </summary>
    private static bool TrustsInHand(MountContext ctx, TreeObject o) => o.Version > 0 && ctx.Indexer.Capabilities.HasFlag(IndexerCapabilities.VersionedUpdates);

    /// <summary>
    /// Reads the stored row, applies <paramref name="change"/>, and commits it if the row did not change meanwhile,
    /// retrying otherwise. <paramref name="change"/> returns the new row (version is set here) and extra changes.
    /// </summary>
    public async Task<Located> MutateAsync(Located loc, Func<TreeObject, (TreeObject Row, ChangeSet? Extra)> change, CancellationToken ct, bool structural = false, ChangeKind? kind = null, string? newPath = null)
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
            var before = Cache.Generation;
            try
            {
                await changes.CommitAsync(ctx, set, kind is { } k
                    ? [new PendingChange(k, newPath ?? loc.Path, newPath is null ? null : loc.Path, loc.Object.Id, row.IsDir, row.Version, row.Modifier)]
                    : [], ct);
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.Conflict && attempt < MaxRetries)
            {
                continue;
            }
            finally
            {
                generation = Cache.Invalidate(loc.Path, loc.Object.Id);
            }

            var done = loc with { Object = ctx.ToPublic(row, loc.Path) };
            if (!structural && row.ParentId == current.ParentId && row.Name == current.Name)
            {
                // Note that the committed row is cached at once (the next stat of a file just written costs no read),
                // unless it moved (its old path must not find it). Only when no other change was forgotten between this
                // commit's start and its own invalidation: a writer that committed after it may have cached its newer
                // row and been invalidated here, and this older row must not take its place (a lost increment, as
                // seen). Any change that lands after the put moves the generation and undoes it.
                Cache.PutAfterCommit(done, before, generation, 1);
            }

            return done;
        }
    }

    public async Task<TreeObject> SetMetaAsync(string path, IReadOnlyDictionary<string, object?> set, IEnumerable<string>? unset, string? user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(set);
        var loc = await paths.RequireAsync(path, ct);
        var removals = unset?.ToList() ?? [];
        var edits = set.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var key in removals)
        {
            edits[key] = null;
        }

        if (edits.Keys.Any(k => !MetaRules.IsSettableBuiltIn(k)))
        {
            EnsureMetaSupported(loc.Context);
        }

        var done = await MutateAsync(loc, row => (MetaRules.Apply(row, edits) with { Modifier = user ?? row.Modifier }, null), ct, kind: ChangeKind.Meta);
        return done.Object;
    }

    public async Task<long> IncrementAsync(string path, string key, long delta, CancellationToken ct)
    {
        MetaRules.ValidateKey(key);
        var loc = await paths.RequireAsync(path, ct);
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
        }, ct, kind: ChangeKind.Meta);
        return result;
    }
}
