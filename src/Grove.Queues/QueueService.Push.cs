using Grove.Queues.Internal;

namespace Grove.Queues;

public sealed partial class QueueService
{
    /// <summary>Content up to this size is pushed as one batch create (no lookup of the new name first).</summary>
    private const int SmallPush = 64 * 1024;

    /// <summary>
    /// Writes a message's file. Small content of a queue in the root index is committed as a batch create, which does
    /// not look the new name up first (a write does, to overwrite): one round trip fewer per push. A name that exists
    /// already, or a queue the batch cannot reach, is written as any file.
    /// </summary>
    private async Task<TreeObject> WriteMessageAsync(TreeObject queue, string path, Stream content, string? user, CancellationToken ct)
    {
        var options = new PutOptions { User = user, Parents = false };
        if (!_tree.SharesEngineTransactions || await _redis.OfAsync(queue, ct) is not null)
        {
            return await _tree.WriteAsync(path, content, options, ct);
        }

        var head = new byte[SmallPush + 1];
        var read = 0;
        while (read < head.Length && await content.ReadAsync(head.AsMemory(read), ct) is var n && n > 0)
        {
            read += n;
        }

        if (read > SmallPush)
        {
            return await _tree.WriteAsync(path, new PrefixedStream(head, content), options, ct);
        }

        try
        {
            var made = await _tree.CommitAsync(new TreeBatch().Create(path, new BatchFile { Content = head.AsMemory(0, read) }, user), ct);
            return made[0]!;
        }
        catch (TreeException e) when (e.Code is TreeErrorCode.AlreadyExists or TreeErrorCode.NotSupported)
        {
            return await _tree.WriteAsync(path, new MemoryStream(head, 0, read, writable: false), options, ct);
        }
    }
}
