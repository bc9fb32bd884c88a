namespace Grove.Messages.Internal.Mapping;

/// <summary>
/// Source paths over a parsed body (JSON, or XML read as a JSON-shaped tree), found by <see cref="PathTrie"/>: segments separated by <c>/</c> or
/// <c>.</c>, a leading <c>$</c> or <c>/</c> ignored. Where a segment meets an array (a JSON array, repeated XML
/// elements) a value path takes its first item; a detail path takes them all.
/// </summary>
internal static class SourcePath
{
    private static readonly char[] Separators = ['/', '.'];

    public static string[] Split(string path) =>
        path.TrimStart('$').Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
