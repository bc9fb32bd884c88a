namespace Grove.Logs;

/// <summary>Where live (not yet archived) lines are kept.</summary>
public enum LiveStoreKind
{
    /// <summary>PostgreSQL when the tree is on PostgreSQL (so every node sees every task), else local files.</summary>
    Auto,

    /// <summary>Append-only segment files in a local folder: one node.</summary>
    Local,

    /// <summary>Chunks of lines in PostgreSQL tables, shared by every node.</summary>
    Postgres,
}
