namespace Grove.Testing;

/// <summary>
/// The system clock moved by an offset the test sets: timers and time stamps run as usual (a server on it keeps
/// working), only the wall-clock time is shifted — to issue a credential "in the past" that has expired by now.
/// </summary>
public sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far the wall clock is moved (negative: into the past).</summary>
    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
