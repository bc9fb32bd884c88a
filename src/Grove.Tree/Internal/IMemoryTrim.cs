namespace Grove.Tree.Internal;

/// <summary>An index that can give back memory it holds for speed once the process is idle (<see cref="TreeService.TrimMemoryAsync"/>).</summary>
internal interface IMemoryTrim
{
    /// <summary>Releases caches of idle connections; what it does not own at the moment (a connection in use) it leaves alone.</summary>
    ValueTask TrimAsync(CancellationToken ct);
}
