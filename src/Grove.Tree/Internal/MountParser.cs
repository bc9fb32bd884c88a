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

        if (MountTerms.FilePath(s, 0) is { } filePath)
        {
            return MountTerms.ValidateFilePath(filePath) ?? Set(ref spec, new MountSpec("file", null, "file", filePath));
        }

        var i = 0;
        var index = "";
        string? indexSetting = null;
        if (s[0] != ':')
        {
            if (MountTerms.ReadTerm(s, ref i, "an index type", out var word, out indexSetting) is { } termError)
            {
                return termError;
            }

            index = Keyword(word);
            if (index is "lbm" or "aliyunoss" or "pgbm" && i == s.Length)
            {
                // A bare storage-only kind: the default index over that storage.
                return MountTerms.ValidateStorage(index, indexSetting) ?? Set(ref spec, new MountSpec("", null, index, indexSetting));
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

        if (MountTerms.FilePath(s, i) is not null)
        {
            return "storage 'file' goes only with a file:// mount of its own, as in file:///data/demo/";
        }

        if (MountTerms.ReadTerm(s, ref i, "a storage kind", out var storageWord, out var storageSetting) is { } storageError)
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

        return MountTerms.ValidateStorage(storage, storageSetting)
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

    private static string Unexpected(string s, int i) => s[i] == ')'
        ? $"unbalanced parenthesis: the ')' at position {i + 1} has no '('"
        : $"unexpected '{s[i]}' at position {i + 1}";
}
