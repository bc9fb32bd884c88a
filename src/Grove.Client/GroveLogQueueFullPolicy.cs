namespace Grove.Client;

/// <summary>What <see cref="GroveLogReporter.Write(string)"/> does when its queue is full (the server is slow or away).</summary>
public enum GroveLogQueueFullPolicy
{
    /// <summary>Block the writer until the sender makes room (back-pressure: nothing is lost).</summary>
    Wait,

    /// <summary>
    /// Drop the line and count it; once there is room again a marker line says how many lines were dropped there,
    /// so the gap is visible in the log.
    /// </summary>
    Drop,
}
