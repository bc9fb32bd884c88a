namespace Grove.Config;

/// <summary>Who reads or listens: the client's IP and labels, which decide whether it gets a gray release.</summary>
/// <param name="Ip">The client address as the server saw it (null when unknown).</param>
/// <param name="Labels">Labels the client declares, such as <c>zone=a</c> or <c>canary</c>.</param>
public sealed record ConfigClient(string? Ip, IReadOnlyCollection<string>? Labels = null)
{
    /// <summary>An anonymous client without labels: always gets the released content.</summary>
    public static ConfigClient None { get; } = new(Ip: null);
}
