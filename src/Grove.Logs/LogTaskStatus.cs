namespace Grove.Logs;

/// <summary>Where a task is in its life. The wire names are the lower-case member names (<c>running</c>, …).</summary>
public enum LogTaskStatus
{
    /// <summary>Taking lines.</summary>
    Running,

    /// <summary>Finished with success.</summary>
    Succeeded,

    /// <summary>Finished with failure.</summary>
    Failed,

    /// <summary>Stopped before its end.</summary>
    Canceled,

    /// <summary>Finished by the server: no line or heartbeat arrived within the idle timeout.</summary>
    Abandoned,
}
