
namespace Grove.Queues.Internal;

/// <summary>
/// Pushes messages: on a queue with Redis storage one script writes the file's row and its stream entry
/// (<see cref="RedisMessages"/>); otherwise the message's file is written through the tree, whose commit hook
/// enqueues it and fills the push's <see cref="PushSlot"/>.
/// </summary>
internal sealed class QueuePush(TreeService tree, QueueStore store, RedisQueues redisQueues, RedisMessages redisMessages)
{
    /// <summary>Content up to this size is pushed as one batch create (no lookup of the new name first).</summary>
    private const int SmallPush = 64 * 1024;

    private long Now => tree.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Enqueues <paramref name="content"/> as a new file of <paramref name="queue"/> (named by time when no name is given).</summary>
    public async Task<QueueMessage> PushAsync(TreeObject queue, Stream content, string? name, string? user, CancellationToken ct)
    {
        name ??= SecretBytes.TimedName(Now);
        TreeNames.ValidateName(name);
        var redis = await redisQueues.OfAsync(queue, ct);
        if (redis is { Storage: not null })
        {
            var max = redisMessages.MaxBytes;
            var head = await RedisMessages.ReadHeadAsync(content, max + 1, ct);
            if (head.Length <= max && await redisMessages.PushAsync(queue, redis, name, head, user) is { } pushed)
            {
                return pushed;
            }

            // Note that the name is taken (the write overwrites it) or the content is over the storage's cap (the write refuses it).
            content = head.Length <= max ? new MemoryStream(head, writable: false) : new PrefixedStream(head, content);
        }

        var slot = new PushSlot(queue.Id, name);
        PushSlot.Current.Value = slot;
        TreeObject file;
        try
        {
            file = await WriteMessageAsync(queue, queue.Path + "/" + name, content, user, ct);
        }
        finally
        {
            PushSlot.Current.Value = null;
        }

        if (slot.Seq > 0)
        {
            return new QueueMessage(slot.Seq, file.Id, file.Path!, 0, slot.Enqueued, slot.Enqueued);
        }

        // Note that the file existed already (a push onto a message's name overwrites its content, it enqueues nothing):
        // the message is the queued file's, if it is still queued.
        var row = redis is null ? await store.ByObjectAsync(file.Id, ct)
            : await redis.EntryOfAsync(file.Id) is { } e ? new QueueStore.Row(e.Seq, file.Id, name, 0, e.Enqueued, e.Enqueued) : null;
        return row is not null ? row.ToMessage(queue.Path!) : new QueueMessage(0, file.Id, file.Path!, 1, file.Modified, file.Modified);
    }

    /// <summary>
    /// Writes a message's file. Small content of a queue in the root index is committed as a batch create, which does
    /// not look the new name up first (a write does, to overwrite): one round trip fewer per push. A name that exists
    /// already, or a queue the batch cannot reach, is written as any file.
    /// </summary>
    private async Task<TreeObject> WriteMessageAsync(TreeObject queue, string path, Stream content, string? user, CancellationToken ct)
    {
        var options = new PutOptions { User = user, Parents = false };
        if (!tree.SharesEngineTransactions || await redisQueues.OfAsync(queue, ct) is not null)
        {
            return await tree.WriteAsync(path, content, options, ct);
        }

        var head = new byte[SmallPush + 1];
        var read = 0;
        while (read < head.Length && await content.ReadAsync(head.AsMemory(read), ct) is var n && n > 0)
        {
            read += n;
        }

        if (read > SmallPush)
        {
            return await tree.WriteAsync(path, new PrefixedStream(head, content), options, ct);
        }

        try
        {
            var made = await tree.CommitAsync(new TreeBatch().Create(path, new BatchFile { Content = head.AsMemory(0, read) }, user), ct);
            return made[0]!;
        }
        catch (TreeException e) when (e.Code is TreeErrorCode.AlreadyExists or TreeErrorCode.NotSupported)
        {
            return await tree.WriteAsync(path, new MemoryStream(head, 0, read, writable: false), options, ct);
        }
    }
}
