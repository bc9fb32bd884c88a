namespace Grove.Tree.Storage;

/// <summary>
/// Content that lives inside an index row (small files), for index providers outside this assembly: a provider that
/// stores such content gives it back with <see cref="With"/> and, when it commits a row, keeps or replaces it as
/// <see cref="IsInline"/> and <see cref="Content"/> say.
/// </summary>
public static class InlineRows
{
    /// <summary>
    /// <paramref name="row"/> with its content inside the row: <paramref name="content"/>, or null when the caller did
    /// not load it (the tree then reads the row again by id before reading the content).
    /// </summary>
    public static TreeObject With(TreeObject row, byte[]? content)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row with { IsInline = true, Inline = content };
    }

    /// <summary>Whether the row's content lives inside it.</summary>
    public static bool IsInline(TreeObject row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.IsInline;
    }

    /// <summary>
    /// The content inside the row, or null: not inline, or (for an inline row being committed) content that the
    /// index keeps as it is.
    /// </summary>
    public static byte[]? Content(TreeObject row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Inline;
    }
}
