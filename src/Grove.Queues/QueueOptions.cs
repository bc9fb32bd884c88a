namespace Grove.Queues;

/// <summary>How queues behave (the server binds <c>Grove:Queues</c>).</summary>
public sealed record QueueOptions
{
    /// <summary>How long a claimed message stays invisible to other consumers when the claim names no time-out. Default 30 s.</summary>
    public TimeSpan Visibility { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest visibility time-out a claim may ask for. Default 12 h.</summary>
    public TimeSpan MaxVisibility { get; init; } = TimeSpan.FromHours(12);

    /// <summary>After this many deliveries without an ack a message moves to the queue's dead-letter directory. Default 5.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>The name of the dead-letter directory inside each queue. Default <c>.dead</c>.</summary>
    public string DeadLetterName { get; init; } = ".dead";
}
