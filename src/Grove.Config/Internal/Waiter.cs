namespace Grove.Config.Internal;

/// <summary>One long poll: the probes it holds and the task that completes with the changed keys.</summary>
internal sealed class Waiter(IReadOnlyList<ConfigProbe> probes, ConfigClient? client)
{
    public IReadOnlyList<ConfigProbe> Probes { get; } = probes;

    public ConfigClient? Client { get; } = client;

    public TaskCompletionSource<IReadOnlyList<ConfigKey>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
