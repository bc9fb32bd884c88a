namespace Grove.Client;

/// <summary>Where a task is in its life; the wire names are the lower-case member names.</summary>
public enum GroveLogStatus
{
    /// <summary>Taking lines.</summary>
    Running,

    /// <summary>Finished with success.</summary>
    Succeeded,

    /// <summary>Finished with failure.</summary>
    Failed,

    /// <summary>Stopped before its end.</summary>
    Canceled,

    /// <summary>Finished by the server: no line or heartbeat arrived within its idle timeout.</summary>
    Abandoned,
}
