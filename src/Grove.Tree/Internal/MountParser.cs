using System.Diagnostics.CodeAnalysis;

namespace Grove.Tree.Internal;

/// <summary>
/// The parser behind <see cref="MountSpec"/>. Grammar, keywords case-insensitive:
/// <c>file://PATH</c> | <c>filew://PATH</c> | <c>INDEX[(SETTING)][SEP STORAGE[(SETTING)]]</c> | <c>SEP STORAGE[(SETTING)]</c>
/// | a bare storage-only kind <c>lbm(Name)</c>, where SEP is <c>://</c> or <c>:</c>. Which words are index types and
/// which are storage kinds, and their aliases (the seed's <c>redia</c>), come from the <see cref="StorageRegistry"/>.
/// </summary>
internal static class MountParser
{
    /// <summary>The kind of <c>file://</c> mounts, which the grammar itself knows.</summary>
    public const string FileKind = "file";

    private const int MaxTextLength = 4096;

    public static bool TryParse(string text, StorageRegistry registry, [NotNullWhen(true)] out MountSpec? spec, out string error)
    {
        spec = null;
        var shown = text.Length <= 200 ? text : text[..200] + "...";
        error = Parse(text.Trim(), registry, ref spec) is { } message ? $"invalid mount '{shown}': {message}" : "";
        return spec is not null;
    }

    /// <summary>Returns an error message, or null with <paramref name="spec"/> set.</summary>
    private static string? Parse(string s, StorageRegistry registry, ref MountSpec? spec)
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
            return MountTerms.ValidateFilePath(filePath) ?? Set(ref spec, new MountSpec(FileKind, null, FileKind, filePath));
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

            index = registry.Canonical(word);
            if (!registry.Knows(StorageRole.Index, index) && registry.Knows(StorageRole.Bucket, index) && i == s.Length)
            {
                // A bare storage-only kind: the default index over that storage.
                return registry.CheckSetting(StorageRole.Bucket, index, indexSetting) ?? Set(ref spec, new MountSpec("", null, index, indexSetting));
            }

            if (index == FileKind)
            {
                return "a file mount is written file://PATH, as in file:///data/demo/";
            }

            if (!registry.Knows(StorageRole.Index, index))
            {
                return $"unknown index type '{word}' (expected {List(registry.Kinds(StorageRole.Index))})";
            }

            if (registry.CheckSetting(StorageRole.Index, index, indexSetting) is { } indexError)
            {
                return indexError;
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

        var storage = registry.Canonical(storageWord);
        if (storage == FileKind)
        {
            return "storage 'file' goes only with a file:// mount of its own, as in file:///data/demo/";
        }

        if (!registry.Knows(StorageRole.Bucket, storage))
        {
            return $"unknown storage kind '{storageWord}' (expected {List(registry.Kinds(StorageRole.Bucket))})";
        }

        return registry.CheckSetting(StorageRole.Bucket, storage, storageSetting)
            ?? Set(ref spec, new MountSpec(index, indexSetting, storage, storageSetting));
    }

    private static string? Set(ref MountSpec? spec, MountSpec value)
    {
        spec = value;
        return null;
    }

    private static string List(IReadOnlyList<string> kinds) =>
        kinds.Count <= 1 ? string.Join("", kinds) : string.Join(", ", kinds.Take(kinds.Count - 1)) + " or " + kinds[^1];

    private static string Unexpected(string s, int i) => s[i] == ')'
        ? $"unbalanced parenthesis: the ')' at position {i + 1} has no '('"
        : $"unexpected '{s[i]}' at position {i + 1}";
}
