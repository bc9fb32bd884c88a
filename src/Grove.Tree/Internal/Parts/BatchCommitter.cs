using System.Security.Cryptography;

namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Commits a <see cref="TreeBatch"/>: several files of the root index (and an engine's statements) in one transaction,
/// all or nothing, with content over the inline threshold made durable in the bucket first.
/// </summary>
internal sealed class BatchCommitter(PathResolver paths, MountTable mounts, RowWriter rows, ContentIo contentIo)
{
    public async Task<IReadOnlyList<TreeObject?>> CommitAsync(TreeBatch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0 && batch.Sql is null && batch.Statements.Count == 0)
        {
            return [];
        }

        if ((batch.Sql is not null || batch.Statements.Count > 0) && !mounts.Main.Indexer.Capabilities.HasFlag(IndexerCapabilities.SqlStatements))
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"the '{mounts.Main.Indexer.Kind}' store has no SQL transaction to share with an engine's tables");
        }

        if (batch.Ops.Select(o => o.Path).Distinct(StringComparer.Ordinal).Count() != batch.Count)
        {
            throw new TreeException(TreeErrorCode.Conflict, "a batch may change each path only once");
        }

        var set = new ChangeSet { Sql = batch.Sql };
        set.Statements.AddRange(batch.Statements);
        var results = new TreeObject?[batch.Count];
        var touched = new List<(string Path, string Id)>(batch.Count);
        var writers = new List<SwapWriter>();
        var events = new List<PendingChange>(batch.Count);
        var created = new List<Located>();
        var committed = false;
        var before = paths.Cache.Generation;
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = await StageAsync(batch.Ops[i], set, touched, writers, events, created, ct);
            }

            try
            {
                await rows.Changes.CommitAsync(mounts.Main, set, events, ct);
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.Conflict && set.UnreadDeletes.Count > 0)
            {
                throw await WhyUnreadFailedAsync(set, batch, ct) ?? e;
            }

            committed = true;
            return results;
        }
        finally
        {
            // Note that a failed batch also drops what it read: a conflict means the cached rows are stale.
            var generation = 0L;
            foreach (var (path, id) in touched)
            {
                generation = paths.Cache.Invalidate(path, id);
            }

            // Note that a created file is cached as committed (as a write's is), so the next stat or delete of it (a
            // queue message's ack) reads nothing — unless another change was forgotten meanwhile (see PutAfterCommit);
            // a change landing after the put moves the generation and undoes it.
            if (committed)
            {
                created.ForEach(c => paths.Cache.PutAfterCommit(c, before, generation, touched.Count));
            }

            foreach (var w in writers)
            {
                await w.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The error a read-first delete would have given, for an unread delete the store refused (its check in SQL only
    /// counts rows): <c>not_found</c>, <c>is_a_directory</c>, <c>handle_busy</c> or <c>conflict</c>; null when each still looks deletable.
    /// </summary>
    private async Task<TreeException?> WhyUnreadFailedAsync(ChangeSet set, TreeBatch batch, CancellationToken ct)
    {
        foreach (var (d, op) in set.UnreadDeletes.Select(d => (d, batch.Ops.First(o => o.ExpectedId is { } id && mounts.Main.LocalId(id) == d.Id))))
        {
            var row = await mounts.Main.Indexer.GetChildAsync(d.ParentId, d.Name, ct);
            TreeException? why = row is null ? TreeException.NotFound(op.Path)
                : row.Id != d.Id ? new TreeException(TreeErrorCode.Conflict, $"{op.Path} is another object now, not {op.ExpectedId}")
                : row.IsDir ? new TreeException(TreeErrorCode.IsADirectory, $"{op.Path} is a directory")
                : row.WriteToken is { } held && row.WriteLeaseUntil > d.Now ? new TreeException(TreeErrorCode.HandleBusy, $"{op.Path} is held by write handle {held}")
                : null;
            if (why is not null)
            {
                return why;
            }
        }

        return null;
    }

    private async Task<TreeObject?> StageAsync(TreeBatch.Op op, ChangeSet set, List<(string, string)> touched, List<SwapWriter> writers, List<PendingChange> events, List<Located> created, CancellationToken ct)
    {
        if (op.Path == "/")
        {
            throw new TreeException(TreeErrorCode.Conflict, "the root cannot be changed by a batch");
        }

        var (parentPath, name) = PathResolver.SplitPath(op.Path);
        TreeNames.ValidateName(name);
        touched.Add((op.Path, ""));
        var parent = op.Kind == TreeBatch.OpKind.Create
            ? await rows.CreateLocatedAsync(parentPath, ObjectRace.Dir, new CreateOptions { ExistOk = true, User = op.User }, ct)
            : await paths.LocateAsync(parentPath, ct) ?? throw TreeException.NotFound(op.Path);
        if (!parent.Object.IsDir)
        {
            throw new TreeException(TreeErrorCode.NotADirectory, $"{parentPath} is a file");
        }

        var (ctx, bucket) = await mounts.ChildContextAsync(parent, ct);
        if (!ReferenceEquals(ctx, mounts.Main) || !bucket.ContentAddressed)
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"a batch changes objects of the root index only; {op.Path} is inside a mount");
        }

        if (op.Kind == TreeBatch.OpKind.Create)
        {
            var file = op.File!;
            if (file.Meta is { Count: > 0 } || file.Labels is { Count: > 0 })
            {
                RowWriter.EnsureMetaSupported(ctx);
            }

            var made = rows.NewRow(ctx, parent, name, ObjectRace.File, new CreateOptions
            {
                User = op.User,
                Mime = file.Mime,
                Labels = ValidLabels(file.Labels),
                Expires = file.Expires,
                Meta = file.Meta,
            });
            made = await WithContentAsync(made, bucket, file.Content, set, writers, ct);
            set.Insert(made);
            touched.Add((op.Path, made.Id));
            events.Add(new PendingChange(ChangeKind.Create, op.Path, null, made.Id, false, made.Version, op.User));
            var result = ctx.ToPublic(made, op.Path);
            created.Add(new Located(result, ctx, bucket) { Uncached = mounts.ChildrenChangeOutside(parent) });
            return result;
        }

        if (op is { Kind: TreeBatch.OpKind.Delete, ExpectedId: { } unreadId } && ctx.Indexer.Capabilities.HasFlag(IndexerCapabilities.UnreadDeletes)
            && !paths.Cache.TryGetPath(op.Path, out _))
        {
            // Note that the indexer checks the object is still a file at this place, free of a live write handle, and
            // releases its content itself: a delete by id (a queue's ack) reads nothing first.
            var localId = ctx.LocalId(unreadId);
            set.UnreadDeletes.Add(new UnreadDelete(localId, ctx.LocalId(parent.Object.Id), name, rows.Now));
            touched.Add((op.Path, localId));
            if (mounts.ChildrenChangeOutside(parent))
            {
                set.Unannounced.Add(localId);
            }

            events.Add(new PendingChange(ChangeKind.Delete, op.Path, null, localId, false, 0, op.User));
            return null;
        }

        // Note that a cached row at the expected version is the stored one unless it changed meanwhile, which the
        // version check of the delete or update refuses (as a write trusts the row in hand): no read first.
        var current = paths.Cache.TryGetPath(op.Path, out var cached) && (op.ExpectedId is null ? cached.Object.Version == op.Expected : cached.Object.Id == op.ExpectedId)
            && ReferenceEquals(cached.Context, ctx)
            && ctx.Indexer.Capabilities.HasFlag(IndexerCapabilities.VersionedUpdates) && cached.Object.Version > 0
            ? ctx.ToLocal(cached.Object)
            : await ctx.Indexer.GetChildAsync(ctx.LocalId(parent.Object.Id), name, ct) ?? throw TreeException.NotFound(op.Path);
        touched.Add((op.Path, current.Id));
        if (current.IsDir)
        {
            throw new TreeException(TreeErrorCode.IsADirectory, $"{op.Path} is a directory");
        }

        if (op.ExpectedId is { } expectedId && ctx.PublicId(current.Id) != expectedId)
        {
            throw new TreeException(TreeErrorCode.Conflict, $"{op.Path} is another object now, not {expectedId}");
        }

        if (op.ExpectedId is null && current.Version != op.Expected)
        {
            throw new TreeException(TreeErrorCode.Conflict, $"{op.Path} is at version {current.Version}, not {op.Expected}");
        }

        if (current.WriteToken is { } held && current.WriteLeaseUntil > rows.Now)
        {
            throw new TreeException(TreeErrorCode.HandleBusy, $"{op.Path} is held by write handle {held}");
        }

        if (mounts.ChildrenChangeOutside(parent))
        {
            set.Unannounced.Add(current.Id);
        }

        if (op.Kind == TreeBatch.OpKind.Delete)
        {
            Remover.AddDelete(set, ctx, current);
            events.Add(new PendingChange(ChangeKind.Delete, op.Path, null, current.Id, false, 0, op.User));
            return null;
        }

        var next = op.File!;
        if (!current.IsInline && current.Sha256 is { } oldSha)
        {
            set.Ref(current.Bucket ?? "", oldSha, current.Length, -1);
        }

        var row = current with
        {
            Meta = next.Meta is null ? TreeObject.EmptyMeta : MetaRules.Validate(next.Meta),
            Labels = ValidLabels(next.Labels) ?? [],
            Expires = next.Expires,
            Mime = next.Mime ?? current.Mime,
            Modified = rows.Now,
            Modifier = op.User ?? current.Modifier,
            Version = current.Version + 1,
        };
        row = await WithContentAsync(row, bucket, next.Content, set, writers, ct);
        set.Update(row, op.Expected);
        events.Add(new PendingChange(ChangeKind.Write, op.Path, null, row.Id, false, row.Version, op.User));
        return ctx.ToPublic(row, op.Path);
    }

    private async Task<TreeObject> WithContentAsync(TreeObject row, IBucket bucket, ReadOnlyMemory<byte> content, ChangeSet set, List<SwapWriter> writers, CancellationToken ct)
    {
        var bucketName = bucket.Name.Length == 0 ? null : bucket.Name;
        if (content.Length <= contentIo.InlineLimit(bucket))
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(content.Span));
            return row with { Length = content.Length, Sha256 = sha, IsInline = true, Inline = content.ToArray(), Bucket = bucketName };
        }

        var writer = bucket.CreateWriter(contentIo.InlineLimit(bucket));
        writers.Add(writer);
        await writer.WriteAsync(content, ct);
        var hash = await writer.FinishAsync(ct);

        // Durable blob first, metadata after, as for every write: a failed batch leaves an orphan for fsck.
        await bucket.PlaceAsync(writer, row, ct);
        set.Ref(bucket.Name, hash, content.Length, +1);
        return row with { Length = content.Length, Sha256 = hash, IsInline = false, Inline = null, Bucket = bucketName };
    }

    private static IReadOnlyList<string>? ValidLabels(IReadOnlyList<string>? labels)
    {
        if (labels is null)
        {
            return null;
        }

        if (labels.Any(l => l is not { Length: > 0 and <= 256 }))
        {
            throw new TreeException(TreeErrorCode.InvalidMeta, "labels are non-empty strings of at most 256 characters");
        }

        return labels.Distinct(StringComparer.Ordinal).ToList();
    }
}
