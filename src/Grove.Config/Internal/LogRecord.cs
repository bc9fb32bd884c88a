namespace Grove.Config.Internal;

/// <summary>One entry of the change feed: which key changed at which revision, and how.</summary>
internal readonly record struct LogRecord(long Rev, ConfigKey Key, ConfigOp Op)
{
    /// <summary>Whether the change touched the released config.</summary>
    public bool TouchesMain => Op is not (ConfigOp.BetaPublish or ConfigOp.BetaCancel);

    /// <summary>Whether the change touched the beta.</summary>
    public bool TouchesBeta => Op is ConfigOp.BetaPublish or ConfigOp.BetaCancel or ConfigOp.BetaPromote or ConfigOp.Delete;
}
