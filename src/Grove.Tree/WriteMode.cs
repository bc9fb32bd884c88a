namespace Grove.Tree;

/// <summary>How a write handle starts.</summary>
public enum WriteMode
{
    /// <summary>Start empty; the content is replaced on commit.</summary>
    Truncate,

    /// <summary>Start with the current content, positioned at its end.</summary>
    Append,

    /// <summary>Start with the current content, positioned at 0, for writes anywhere.</summary>
    Modify,
}
