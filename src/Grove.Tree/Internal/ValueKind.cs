namespace Grove.Tree.Internal;

/// <summary>The kinds of plain values, in the order they sort: null (missing) first, then numbers, strings, booleans.</summary>
internal enum ValueKind
{
    /// <summary>Missing or null.</summary>
    Null = 0,

    /// <summary>A long or a double.</summary>
    Number = 1,

    /// <summary>A string.</summary>
    String = 2,

    /// <summary>A boolean.</summary>
    Bool = 3,
}
