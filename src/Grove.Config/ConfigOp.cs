namespace Grove.Config;

/// <summary>What a history (audit) entry records.</summary>
public enum ConfigOp
{
    /// <summary>A publish (create or update).</summary>
    Publish,

    /// <summary>A removal; the entry keeps the removed content.</summary>
    Delete,

    /// <summary>A publish of an earlier version's content.</summary>
    Rollback,

    /// <summary>A publish by an import.</summary>
    Import,

    /// <summary>A gray (beta) release.</summary>
    BetaPublish,

    /// <summary>A beta made the released content.</summary>
    BetaPromote,

    /// <summary>A beta withdrawn; the entry keeps its content.</summary>
    BetaCancel,
}
