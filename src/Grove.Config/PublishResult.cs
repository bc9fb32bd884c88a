namespace Grove.Config;

/// <summary>The outcome of one publish.</summary>
/// <param name="Item">The config as now served.</param>
/// <param name="Created">True when the config did not exist before.</param>
/// <param name="Changed">False when the publish was skipped (an import's skip policy).</param>
public sealed record PublishResult(ConfigItem Item, bool Created, bool Changed = true);
