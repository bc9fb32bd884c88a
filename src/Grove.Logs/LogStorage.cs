namespace Grove.Logs;

/// <summary>Which copy of a task's log serves reads.</summary>
public enum LogStorage
{
    /// <summary>The live store (local segment files, or PostgreSQL chunks when several nodes share the tree).</summary>
    Live,

    /// <summary>The block-compressed archive object in the tree.</summary>
    Archived,
}
