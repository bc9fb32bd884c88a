namespace Grove.Messages.Internal.Storage;

/// <summary>
/// Group commit: items that arrive while a commit runs queue up, and the next committer writes them all in one
/// transaction (one fsync for many). Each caller gets its own item's answer, or the batch's failure.
/// </summary>
internal sealed class GroupCommit<TItem, TAnswer>(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TAnswer>>> commit)
{
    private readonly Lock _gate = new();
    private List<(TItem Item, TaskCompletionSource<TAnswer> Done)> _queue = [];
    private bool _committing;

    public async Task<TAnswer> WriteAsync(TItem item)
    {
        var done = new TaskCompletionSource<TAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_gate)
        {
            _queue.Add((item, done));
            lead = !_committing;
            _committing = true;
        }

        if (lead)
        {
            await CommitQueuedAsync();
        }

        return await done.Task;
    }

    private async Task CommitQueuedAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TAnswer> Done)> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _committing = false;
                    return;
                }

                batch = _queue;
                _queue = [];
            }

            try
            {
                var answers = await commit([.. batch.Select(b => b.Item)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(answers[i]);
                }
            }
            catch (Exception e)
            {
                foreach (var b in batch)
                {
                    b.Done.TrySetException(e);
                }
            }
        }
    }
}
