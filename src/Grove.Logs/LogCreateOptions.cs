namespace Grove.Logs;

/// <summary>What <see cref="LogService.CreateAsync(string, LogCreateOptions, CancellationToken)"/> gives a new task besides its name.</summary>
public sealed record LogCreateOptions
{
    /// <summary>Labels of the task (at most 32, each 1 to 64 characters).</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>The user who owns the task's tree object (its creator); null leaves it without one.</summary>
    public string? Owner { get; init; }

    /// <summary>The mode bits of the task's tree object; null inherits its folder's (without the list bits).</summary>
    public int? Mode { get; init; }
}
