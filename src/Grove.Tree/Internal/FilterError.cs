namespace Grove.Tree.Internal;

/// <summary>Builds the exceptions of malformed filters, sorts and cursors.</summary>
internal static class FilterError
{
    /// <summary>An <see cref="TreeErrorCode.InvalidFilter"/> exception with the message.</summary>
    public static TreeException Invalid(string message, Exception? inner = null) =>
        new(TreeErrorCode.InvalidFilter, message, inner);

    /// <summary>An <see cref="TreeErrorCode.InvalidFilter"/> exception about one key.</summary>
    public static TreeException Key(string key, string problem, Exception? inner = null) =>
        new(TreeErrorCode.InvalidFilter, $"filter key '{key}': {problem}", inner);
}
