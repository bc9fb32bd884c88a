using System.Collections.Concurrent;

namespace Grove.Logs.Internal;

/// <summary>Wakes followers of a task when its lines or state change. Take the signal before reading, then wait on it.</summary>
internal sealed class FollowSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next change of <paramref name="id"/>.</summary>
    public Task Next(string id) =>
        _waiting.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Pulse(string id)
    {
        if (_waiting.TryRemove(id, out var tcs))
        {
            tcs.TrySetResult();
        }
    }

    /// <summary>Wakes everyone (after a lost connection, when changes may have been missed).</summary>
    public void PulseAll()
    {
        foreach (var id in _waiting.Keys)
        {
            Pulse(id);
        }
    }
}
