using Grove.Tree.Internal;

namespace Grove.Tree;

public sealed partial class TreeService
{
    private const int CopyBuffer = 1 << 20;

    /// <summary>
    /// Writes a file's whole content from a stream (creating the file and its parents if needed), any size, in
    /// bounded memory. The content is hashed as it streams, made durable in its bucket, and only then committed
    /// with <c>len</c>, <c>sha256</c> and <c>lm</c> in one transaction; a failure at any point leaves the previous
    /// content intact. Fails with <c>handle_busy</c> while a write handle holds the file.
    /// </summary>
    public async Task<TreeObject> WriteAsync(string path, Stream content, PutOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new PutOptions();
        var norm = TreeNames.Normalize(path);
        var loc = await LocateAsync(norm, ct);
        if (loc is { Object.IsDir: true })
        {
            throw new TreeException(TreeErrorCode.IsADirectory, $"{loc.Path} is a directory");
        }

        // Note that a new file's row is created only once its content has arrived: a failed or cut-off upload
        // leaves no empty file behind.
        var bucket = loc?.Bucket ?? await NewFileBucketAsync(norm, options, ct);
        using var writer = bucket.CreateWriter(InlineLimit(bucket));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBuffer);
        try
        {
            long total = 0;
            int n;
            while ((n = await content.ReadAsync(buffer.AsMemory(0, CopyBuffer), ct)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, n), ct);
                total += n;
                options.Progress?.Report(total);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        loc ??= await CreateLocatedAsync(norm, ObjectRace.File,
            new CreateOptions { ExistOk = true, Parents = options.Parents, User = options.User, Mime = options.Mime }, ct);
        if (!ReferenceEquals(loc.Bucket, bucket))
        {
            throw new TreeException(TreeErrorCode.Conflict, $"the storage of {loc.Path} changed while its content was written; write it again");
        }

        return (await CommitContentAsync(loc, writer, token: null, options.User, options.Mime, options.IfSha256, ct)).Object;
    }

    /// <summary>The bucket a new file at <paramref name="norm"/> will use; creates missing parents when allowed.</summary>
    private async Task<IBucket> NewFileBucketAsync(string norm, PutOptions options, CancellationToken ct)
    {
        var (parentPath, name) = SplitPath(norm);
        TreeNames.ValidateName(name);
        var parent = await LocateAsync(parentPath, ct) ?? (options.Parents
            ? await CreateLocatedAsync(parentPath, ObjectRace.Dir, new CreateOptions { ExistOk = true, User = options.User }, ct)
            : throw TreeException.NotFound(parentPath));
        if (!parent.Object.IsDir)
        {
            throw new TreeException(TreeErrorCode.NotADirectory, $"{parentPath} is a file");
        }

        return (await ChildContextAsync(parent, ct)).Item2;
    }

    /// <summary>Writes a file's whole content from bytes.</summary>
    public Task<TreeObject> WriteAsync(string path, ReadOnlyMemory<byte> content, PutOptions? options = null, CancellationToken ct = default) =>
        WriteAsync(path, new MemoryStream(content.ToArray(), writable: false), options, ct);

    private int InlineLimit(IBucket bucket) => bucket.ContentAddressed ? _options.InlineThreshold : 0;

    /// <summary>
    /// Places the content and commits it to the row. With a <paramref name="token"/> (a write handle), the row must
    /// still carry that token; without, no live handle may hold the row.
    /// </summary>
    internal async Task<Located> CommitContentAsync(Located loc, SwapWriter writer, long? token, string? user, string? mime, string? ifSha, CancellationToken ct)
    {
        var sha = await writer.FinishAsync(ct);
        var length = writer.Length;
        var bucket = loc.Bucket;
        var inline = bucket.ContentAddressed && length <= _options.InlineThreshold
            && loc.Context.Indexer.Capabilities.HasFlag(IndexerCapabilities.InlineContent) ? writer.InMemory : null;
        if (inline is null)
        {
            // Note that placing a blob is costly: refuse early, before placing it, what the commit would refuse.
            var current = await FreshRowAsync(loc, ct);
            CheckWriter(loc, current, token);
            CheckContent(loc, current, ifSha);

            // Durable blob first, metadata after: a crash in between leaves an orphan blob for fsck, never a dangling row.
            await bucket.PlaceAsync(writer, loc.Context.ToLocal(loc.Object), ct);
        }

        var done = await MutateAsync(loc, row =>
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
                Modified = Now,
                Modifier = user ?? row.Modifier,
                Mime = mime ?? row.Mime,
                Bucket = bucket.Name.Length == 0 ? null : bucket.Name,
                IsInline = inline is not null,
                Inline = inline,
                WriteToken = null,
                WriteLeaseUntil = 0,
            }, set);
        }, ct);
        return done;
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
        else if (row.WriteToken is { } held && row.WriteLeaseUntil > Now)
        {
            throw new TreeException(TreeErrorCode.HandleBusy, $"{loc.Path} is held by write handle {held} until {DateTimeOffset.FromUnixTimeMilliseconds(row.WriteLeaseUntil):O}");
        }
    }

    /// <summary>Opens a file's content for reading (a read handle: seekable, any number at once).</summary>
    public async Task<Stream> OpenReadAsync(string path, CancellationToken ct = default)
    {
        var loc = await RequireAsync(path, ct);
        return await OpenContentAsync(loc, ct);
    }

    /// <summary>
    /// Opens a file's content together with the object it belongs to, so that <c>len</c> and <c>sha256</c> describe
    /// exactly the bytes of the stream (a server's <c>ETag</c> and <c>Content-Length</c>), even while writers commit.
    /// </summary>
    public async Task<OpenedFile> OpenFileAsync(string path, CancellationToken ct = default)
    {
        var loc = await RequireAsync(path, ct);
        if (loc.Object is { IsInline: true, Inline: null, IsDir: false } && !loc.Context.PathAddressed)
        {
            // Note that a cached object may not carry its inline bytes: the fresh row and its bytes go together.
            var fresh = await FreshRowAsync(loc, ct);
            var o = loc.Context.ToPublic(fresh, loc.Path);
            return new OpenedFile(o, new MemoryStream(fresh.Inline ?? [], writable: false));
        }

        return new OpenedFile(loc.Object, await OpenContentAsync(loc, ct));
    }

    /// <summary>Reads the root row from the index itself (not the cache): throws when the store cannot be reached.</summary>
    public async Task CheckStoreAsync(CancellationToken ct = default) =>
        _ = await _main.Indexer.GetAsync(_main.LocalId(_root.Id), ct) ?? throw TreeException.NotFound("/");

    internal async Task<Stream> OpenContentAsync(Located loc, CancellationToken ct)
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
            var bytes = o.Inline ?? (await FreshRowAsync(loc, ct)).Inline ?? [];
            return new MemoryStream(bytes, writable: false);
        }

        if (o.Sha256 is null)
        {
            return new MemoryStream([], writable: false);
        }

        return await Bucket(o.Bucket).OpenReadAsync(loc.Context.ToLocal(o) with { Path = loc.Path }, ct);
    }

    /// <summary>Reads a whole file into memory (for small files).</summary>
    public async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken ct = default)
    {
        await using var s = await OpenReadAsync(path, ct);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, ct);
        return ms.ToArray();
    }
}
