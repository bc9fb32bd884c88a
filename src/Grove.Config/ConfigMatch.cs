namespace Grove.Config;

/// <summary>How <see cref="ConfigQuery"/> compares dataId, group and app.</summary>
public enum ConfigMatch
{
    /// <summary>Equal (Diamond's listConfig, Nacos's accurate search).</summary>
    Exact,

    /// <summary>Contains, ignoring case (Diamond's listConfigLike).</summary>
    Contains,

    /// <summary><c>*</c> matches any run of characters, ignoring case (Nacos's blur search).</summary>
    Wildcard,
}
