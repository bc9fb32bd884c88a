namespace Grove.Tree.Internal;

/// <summary>
/// The lexical pieces of a mount expression, for <see cref="MountParser"/>. The Read and Validate methods return an
/// error message, or null when all is well.
/// </summary>
internal static class MountTerms
{
    private const int MaxSettingLength = 128;

    /// <summary>The path after <c>file://</c> or <c>filew://</c> at <paramref name="start"/>, or null.</summary>
    public static string? FilePath(string s, int start)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["file://", "filew://"])
        {
            if (s.AsSpan(start).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return s[(start + prefix.Length)..];
            }
        }

        return null;
    }

    public static string? ValidateFilePath(string path)
    {
        if (path.Length == 0)
        {
            return "a file mount needs a path after 'file://', as in file:///data/demo/";
        }

        var windowsRooted = path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '/' or '\\';
        return path[0] == '/' || windowsRooted
            ? null
            : $"the file mount path '{path}' is not absolute (write file:///data/demo/ or file://C:/data/demo/)";
    }

    /// <summary>Reads <c>word[(setting)]</c> at <paramref name="i"/>.</summary>
    public static string? ReadTerm(string s, ref int i, string what, out string word, out string? setting)
    {
        setting = null;
        var start = i;
        while (i < s.Length && (char.IsAsciiLetter(s[i]) || (i > start && char.IsAsciiDigit(s[i]))))
        {
            i++;
        }

        word = s[start..i];
        if (word.Length == 0)
        {
            return i == s.Length ? $"expected {what} at the end"
                : s[i] == '(' ? $"expected {what} before the '(' at position {i + 1}"
                : $"expected {what} at position {i + 1}, found '{s[i]}'";
        }

        if (i == s.Length || s[i] != '(')
        {
            return null;
        }

        var close = s.IndexOf(')', i + 1);
        if (close < 0)
        {
            return $"unbalanced parenthesis: the '(' at position {i + 1} is never closed";
        }

        var content = s[(i + 1)..close];
        if (content.Contains('(', StringComparison.Ordinal))
        {
            return $"nested parenthesis in the setting of '{word}'";
        }

        if (content.Length == 0)
        {
            return $"empty setting '()' after '{word}'";
        }

        if (content.Length > MaxSettingLength)
        {
            return $"the setting of '{word}' is over {MaxSettingLength} characters";
        }

        var bad = content.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-'));
        if (bad != default)
        {
            return $"invalid character '{bad}' in the setting '{content}' of '{word}' (allowed: A-Z a-z 0-9 _ . / -)";
        }

        setting = content;
        i = close + 1;
        return null;
    }
}
