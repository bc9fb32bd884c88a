using System.Diagnostics.CodeAnalysis;

namespace Grove.Tree.Internal;

/// <summary>
/// The parser behind <see cref="MountSpec"/>. Grammar, keywords case-insensitive:
/// <c>file://PATH</c> | <c>filew://PATH</c> | <c>INDEX[(SETTING)][SEP STORAGE[(SETTING)]]</c> | <c>SEP STORAGE[(SETTING)]</c>
/// | a bare storage-only kind <c>lbm(Name)</c>, where SEP is <c>://</c> or <c>:</c>. <c>redia</c> is read as <c>redis</c>.
/// </summary>
internal static class MountParser
{
    private const int MaxTextLength = 4096;
    private const int MaxSettingLength = 128;
    private const string IndexList = "mem, file, dao, redis or mq";
    private const string StorageList = "lbm, aliyunoss, redis or pgbm";

    public static bool TryParse(string text, [NotNullWhen(true)] out MountSpec? spec, out string error)
    {
        spec = null;
        var shown = text.Length <= 200 ? text : text[..200] + "...";
        error = Parse(text.Trim(), ref spec) is { } message ? $"invalid mount '{shown}': {message}" : "";
        return spec is not null;
    }

    /// <summary>Returns an error message, or null with <paramref name="spec"/> set.</summary>
    private static string? Parse(string s, ref MountSpec? spec)
    {
        if (s.Length == 0)
        {
            return "the mount expression is empty";
        }

        if (s.Length > MaxTextLength)
        {
            return $"the mount expression is over {MaxTextLength} characters";
        }

        if (s.Any(char.IsControl))
        {
            return "it contains a control character";
        }

        if (FilePath(s, 0) is { } filePath)
        {
            return ValidateFilePath(filePath) ?? Set(ref spec, new MountSpec("file", null, "file", filePath));
        }

        var i = 0;
        var index = "";
        string? indexSetting = null;
        if (s[0] != ':')
        {
            if (ReadTerm(s, ref i, "an index type", out var word, out indexSetting) is { } termError)
            {
                return termError;
            }

            index = Keyword(word);
            if (index is "lbm" or "aliyunoss" or "pgbm" && i == s.Length)
            {
                // A bare storage-only kind: the default index over that storage.
                return ValidateStorage(index, indexSetting) ?? Set(ref spec, new MountSpec("", null, index, indexSetting));
            }

            if (index is not ("mem" or "dao" or "redis" or "mq" or "file"))
            {
                return $"unknown index type '{word}' (expected {IndexList})";
            }

            if (index == "file")
            {
                return "a file mount is written file://PATH, as in file:///data/demo/";
            }
        }

        if (i == s.Length)
        {
            return Set(ref spec, new MountSpec(index, indexSetting, "", null));
        }

        if (s[i] != ':')
        {
            return Unexpected(s, i);
        }

        i += s.AsSpan(i).StartsWith("://", StringComparison.Ordinal) ? 3 : 1;
        if (i == s.Length)
        {
            return "no storage follows the ':' or '://' separator";
        }

        if (FilePath(s, i) is not null)
        {
            return "storage 'file' goes only with a file:// mount of its own, as in file:///data/demo/";
        }

        if (ReadTerm(s, ref i, "a storage kind", out var storageWord, out var storageSetting) is { } storageError)
        {
            return storageError;
        }

        if (i != s.Length)
        {
            return Unexpected(s, i);
        }

        var storage = Keyword(storageWord);
        if (storage is not ("lbm" or "aliyunoss" or "redis" or "pgbm"))
        {
            return storage == "file"
                ? "storage 'file' goes only with a file:// mount of its own, as in file:///data/demo/"
                : $"unknown storage kind '{storageWord}' (expected {StorageList})";
        }

        return ValidateStorage(storage, storageSetting)
            ?? Set(ref spec, new MountSpec(index, indexSetting, storage, storageSetting));
    }

    private static string? Set(ref MountSpec? spec, MountSpec value)
    {
        spec = value;
        return null;
    }

    private static string Keyword(string word)
    {
        var lower = word.ToLowerInvariant();
        return lower == "redia" ? "redis" : lower;
    }

    /// <summary>The path after <c>file://</c> or <c>filew://</c> at <paramref name="start"/>, or null.</summary>
    private static string? FilePath(string s, int start)
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

    private static string? ValidateFilePath(string path)
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

    private static string? ValidateStorage(string kind, string? setting)
    {
        if (kind == "lbm")
        {
            if (setting is null)
            {
                return "storage 'lbm' needs a bucket name, as in lbm(Abc)";
            }

            var bad = setting.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));
            if (bad != default)
            {
                return $"invalid character '{bad}' in the lbm bucket name '{setting}' (allowed: A-Z a-z 0-9 _ -)";
            }
        }

        return null;
    }

    /// <summary>Reads <c>word[(setting)]</c> at <paramref name="i"/>.</summary>
    private static string? ReadTerm(string s, ref int i, string what, out string word, out string? setting)
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

    private static string Unexpected(string s, int i) => s[i] == ')'
        ? $"unbalanced parenthesis: the ')' at position {i + 1} has no '('"
        : $"unexpected '{s[i]}' at position {i + 1}";
}
