namespace Grove.Tree.Internal.Parts;

/// <summary>
/// File content: streams written into a bucket and committed to the row (blob durable first, metadata after), and
/// content opened for reading from the row (inline), the bucket, or the real file of a path-addressed mount.
/// </summary>
internal sealed class ContentIo(PathResolver paths, MountTable mounts, RowWriter rows, TreeOptions options)
{
    public const int CopyBuffer = 1 << 20;
    private const int MaxCreateAttempts = 8;

    public int InlineLimit(IBucket bucket) => bucket.ContentAddressed ? options.InlineThreshold : 0;

    public async Task<TreeObject> WriteAsync(string path, Stream content, PutOptions putOptions, CancellationToken ct)
    {
        var norm = TreeNames.Normalize(path);
        var loc = await paths.LocateAsync(norm, ct);
        if (loc is { Object.IsDir: true })
        {
            throw new TreeException(TreeErrorCode.IsADirectory, $"{loc.Path} is a directory");
        }

        if (loc is not null && putOptions.CreateOnly)
        {
            throw Exists(loc.Path);
        }

        // Note that a new file and its missing parents are created only once its content has arrived and every check
        // passed, in the same transaction as the content: a refused, failed or cut-off upload leaves nothing behind.
        var target = loc is null ? await NewFileTargetAsync(norm, putOptions, ct) : null;
        var bucket = loc?.Bucket ?? target!.Bucket;
        using var writer = bucket.CreateWriter(InlineLimit(bucket));
        await CopyAsync(content, writer, putOptions.Progress, ct);
        if (loc is null && target!.Context.PathAddressed)
        {
            // Note that in a folder of real files the file is its content: it is created, then written in place.
            loc = await rows.CreateLocatedAsync(norm, ObjectRace.File,
                new CreateOptions { ExistOk = !putOptions.CreateOnly, Parents = putOptions.Parents, User = putOptions.User, Mime = putOptions.Mime }, ct);
        }
        else if (loc is null)
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await CreateWithContentAsync(norm, target!, writer, putOptions, ct) is { } created)
                {
                    return created;
                }

                // Someone created the file, or a directory on its way, meanwhile: commit onto their file as an
                // overwrite is committed (unless only a create was asked), or create under their directory.
                loc = await paths.LocateAsync(norm, ct);
                if (loc is not null)
                {
                    loc = loc.Object.IsDir ? throw new TreeException(TreeErrorCode.IsADirectory, $"{loc.Path} is a directory")
                        : putOptions.CreateOnly ? throw Exists(norm) : loc;
                    break;
                }

                target = attempt < MaxCreateAttempts ? await NewFileTargetAsync(norm, putOptions, ct)
                    : throw new TreeException(TreeErrorCode.Conflict, $"{norm} could not be created: its directories kept changing; write it again");
                if (!ReferenceEquals(target.Bucket, bucket))
                {
                    throw new TreeException(TreeErrorCode.Conflict, $"the storage of {norm} changed while its content was written; write it again");
                }
            }
        }

        if (!ReferenceEquals(loc.Bucket, bucket))
        {
            throw new TreeException(TreeErrorCode.Conflict, $"the storage of {loc.Path} changed while its content was written; write it again");
        }

        return (await CommitContentAsync(loc, writer, token: null, putOptions.User, putOptions.Mime, putOptions.IfSha256, ct)).Object;
    }

    private static TreeException Exists(string path) => new(TreeErrorCode.AlreadyExists, $"{path} exists (If-None-Match: * creates only)");

    private static async Task CopyAsync(Stream content, SwapWriter writer, IProgress<long>? progress, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBuffer);
        try
        {
            long total = 0;
            int n;
            while ((n = await content.ReadAsync(buffer.AsMemory(0, CopyBuffer), ct)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, n), ct);
                total += n;
                progress?.Report(total);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Where a new file will go: the nearest existing directory above it and the names to create below that.</summary>
    private sealed record NewFileTarget(Located Anchor, MountContext Context, IBucket Bucket, IReadOnlyList<string> MissingDirs, string Name);

    private async Task<NewFileTarget> NewFileTargetAsync(string norm, PutOptions putOptions, CancellationToken ct)
    {
        var (parentPath, name) = PathResolver.SplitPath(norm);
        TreeNames.ValidateName(name);
        var (anchor, end) = await paths.NearestAsync(parentPath, ct);
        var missing = end >= parentPath.Length ? [] : parentPath[(end + 1)..].Split('/');
        if (missing.Length > 0 && !putOptions.Parents)
        {
            throw TreeException.NotFound(parentPath);
        }

        foreach (var dirName in missing)
        {
            TreeNames.ValidateName(dirName);
        }

        if (!anchor.Object.IsDir)
        {
            throw new TreeException(TreeErrorCode.NotADirectory, $"{anchor.Path} is a file");
        }

        var (ctx, bucket) = await mounts.ChildContextAsync(anchor, ct);
        return new NewFileTarget(anchor, ctx, bucket, missing, name);
    }

    /// <summary>
    /// Commits the missing directories, the file and its content in one transaction; null when the file (or a
    /// directory on its way) was created by someone else meanwhile.
    /// </summary>
    private async Task<TreeObject?> CreateWithContentAsync(string norm, NewFileTarget t, SwapWriter writer, PutOptions putOptions, CancellationToken ct)
    {
        var sha = await writer.FinishAsync(ct);
        if (putOptions.IfSha256 is { } ifSha && !string.Equals(ifSha, RowWriter.EmptySha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new TreeException(TreeErrorCode.Conflict, $"{norm} does not exist, so its content is not {ifSha}");
        }

        var ctx = t.Context;
        var set = new ChangeSet();
        var parent = t.Anchor;
        var created = new List<(string Path, string Id)>();
        var dirOptions = new CreateOptions { ExistOk = true, User = putOptions.User };
        foreach (var dirName in t.MissingDirs)
        {
            var dirRow = rows.NewRow(ctx, parent, dirName, ObjectRace.Dir, dirOptions);
            var dirPath = PathResolver.ChildPath(parent.Path, dirName);
            set.Insert(dirRow);
            created.Add((dirPath, ctx.PublicId(dirRow.Id)));
            parent = new Located(ctx.ToPublic(dirRow, dirPath), ctx, t.Bucket);
        }

        var length = writer.Length;
        var inline = t.Bucket.ContentAddressed && length <= options.InlineThreshold
            && ctx.Indexer.Capabilities.HasFlag(IndexerCapabilities.InlineContent) ? writer.InMemory : null;
        var row = rows.NewRow(ctx, parent, t.Name, ObjectRace.File, new CreateOptions { User = putOptions.User, Mime = putOptions.Mime }) with
        {
            Length = length,
            Sha256 = sha,
            IsInline = inline is not null,
            Inline = inline,
            Bucket = t.Bucket.Name.Length == 0 ? null : t.Bucket.Name,
        };
        if (inline is null)
        {
            // Durable blob first, metadata after: a crash in between leaves an orphan blob for fsck, never a dangling row.
            await t.Bucket.PlaceAsync(writer, row, ct);
            if (t.Bucket.ContentAddressed)
            {
                set.Ref(t.Bucket.Name, sha, length, +1);
            }
        }

        set.Insert(row);
        created.Add((norm, ctx.PublicId(row.Id)));
        try
        {
            await rows.Changes.CommitAsync(ctx, set, [.. set.Inserts.Select((r, i) => new PendingChange(ChangeKind.Create, created[i].Path, null, created[i].Id, r.IsDir, r.Version, putOptions.User))], ct);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
        {
            return null;
        }
        finally
        {
            foreach (var (p, id) in created)
            {
                paths.Cache.Invalidate(p, id);
            }
        }

        return ctx.ToPublic(row, norm);
    }

    /// <summary>
    /// Places the content and commits it to the row. With a <paramref name="token"/> (a write handle), the row must
    /// still carry that token; without, no live handle may hold the row.
    /// </summary>
    public async Task<Located> CommitContentAsync(Located loc, SwapWriter writer, long? token, string? user, string? mime, string? ifSha, CancellationToken ct)
    {
        var sha = await writer.FinishAsync(ct);
        var length = writer.Length;
        var bucket = loc.Bucket;
        var inline = bucket.ContentAddressed && length <= options.InlineThreshold
            && loc.Context.Indexer.Capabilities.HasFlag(IndexerCapabilities.InlineContent) ? writer.InMemory : null;
        if (inline is null)
        {
            // Note that placing a blob is costly: refuse early, before placing it, what the commit would refuse.
            var current = await PathResolver.FreshRowAsync(loc, ct);
            CheckWriter(loc, current, token);
            CheckContent(loc, current, ifSha);

            // Durable blob first, metadata after: a crash in between leaves an orphan blob for fsck, never a dangling row.
            await bucket.PlaceAsync(writer, loc.Context.ToLocal(loc.Object), ct);
        }

        return await rows.MutateAsync(loc, row =>
        {
            CheckWriter(loc, row, token);
            CheckContent(loc, row, ifSha);
            var set = new ChangeSet();
            if (bucket.ContentAddressed && inline is null)
            {
                set.Ref(bucket.Name, sha, length, +1);
            }

            if (row is { IsInline: false, Sha256: { } oldSha } && !loc.Context.PathAddressed)
            {
                set.Ref(row.Bucket ?? "", oldSha, row.Length, -1);
            }

            return (row with
            {
                Length = length,
                Sha256 = sha,
                Modified = rows.Now,
                Modifier = user ?? row.Modifier,
                Mime = mime ?? row.Mime,
                Bucket = bucket.Name.Length == 0 ? null : bucket.Name,
                IsInline = inline is not null,
                Inline = inline,
                WriteToken = null,
                WriteLeaseUntil = 0,
            }, set);
        }, ct, kind: ChangeKind.Write);
    }

    private static void CheckContent(Located loc, TreeObject row, string? ifSha)
    {
        if (ifSha is not null && !string.Equals(ifSha, row.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new TreeException(TreeErrorCode.Conflict, $"{loc.Path} has content {row.Sha256}, not {ifSha}");
        }
    }

    private void CheckWriter(Located loc, TreeObject row, long? token)
    {
        if (token is { } mine)
        {
            if (row.WriteToken != mine)
            {
                throw new TreeException(TreeErrorCode.HandleLost, $"the write handle on {loc.Path} was taken over after its lease ended; nothing was written");
            }
        }
        else if (row.WriteToken is { } held && row.WriteLeaseUntil > rows.Now)
        {
            throw new TreeException(TreeErrorCode.HandleBusy, $"{loc.Path} is held by write handle {held} until {DateTimeOffset.FromUnixTimeMilliseconds(row.WriteLeaseUntil):O}");
        }
    }

    /// <summary>
    /// Opens a file's content together with the object it belongs to, so that <c>len</c> and <c>sha256</c> describe
    /// exactly the bytes of the stream, even while writers commit.
    /// </summary>
    public async Task<OpenedFile> OpenFileAsync(string path, CancellationToken ct)
    {
        var loc = await paths.RequireAsync(path, ct);
        if (loc.Object is { IsInline: true, Inline: null, IsDir: false } && !loc.Context.PathAddressed)
        {
            // Note that a cached object may not carry its inline bytes: the fresh row and its bytes go together.
            var fresh = await PathResolver.FreshRowAsync(loc, ct);
            var o = loc.Context.ToPublic(fresh, loc.Path);
            return new OpenedFile(o, new MemoryStream(fresh.Inline ?? [], writable: false));
        }

        return new OpenedFile(loc.Object, await OpenContentAsync(loc, ct));
    }

    public async Task<Stream> OpenContentAsync(Located loc, CancellationToken ct)
    {
        var o = loc.Object;
        if (o.IsDir)
        {
            throw new TreeException(TreeErrorCode.IsADirectory, $"{loc.Path} is a directory");
        }

        if (loc.Context.PathAddressed)
        {
            return await loc.Context.Bucket.OpenReadAsync(loc.Context.ToLocal(o) with { Path = loc.Path }, ct);
        }

        if (o.IsInline)
        {
            var bytes = o.Inline ?? (await PathResolver.FreshRowAsync(loc, ct)).Inline ?? [];
            return new MemoryStream(bytes, writable: false);
        }

        if (o.Sha256 is null)
        {
            return new MemoryStream([], writable: false);
        }

        return await mounts.Bucket(o.Bucket).OpenReadAsync(loc.Context.ToLocal(o) with { Path = loc.Path }, ct);
    }
}
