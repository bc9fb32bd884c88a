using System.Collections.Frozen;

namespace Grove.Tree.Internal;

/// <summary>Which keys a filter or sort may name, and what the built-in ones hold.</summary>
internal static class FilterKeys
{
    /// <summary>The labels key; it has its own filter form.</summary>
    public const string Labels = "lbls";

    private static readonly FrozenSet<string> TextColumns = new[]
    {
        "id", "pid", "nm", "tp", "mime", "sha256", "mnt", "ln", "c", "m", "g", "bk",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> NumberColumns = new[]
    {
        "race", "len", "md", "ct", "lm", "expi", "v",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Declared NOT NULL in the schema, so ORDER BY needs no null placement (which lets PostgreSQL use plain indexes).
    private static readonly FrozenSet<string> NotNullColumns = new[] { "id", "pid", "nm", "race" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when the key is a column of the <c>obj</c> table (not <c>lbls</c>, not custom).</summary>
    public static bool IsColumn(string key) => TextColumns.Contains(key) || NumberColumns.Contains(key);

    /// <summary>The kind a built-in column holds, or null for custom keys and <c>lbls</c>.</summary>
    public static ValueKind? ColumnKind(string key) =>
        TextColumns.Contains(key) ? ValueKind.String : NumberColumns.Contains(key) ? ValueKind.Number : null;

    /// <summary>True for the columns declared NOT NULL.</summary>
    public static bool IsNotNull(string key) => NotNullColumns.Contains(key);

    /// <summary>Throws <see cref="TreeErrorCode.InvalidFilter"/> unless the key can be filtered on.</summary>
    public static string Validate(string? key)
    {
        if (key is null)
        {
            throw FilterError.Invalid("filter key is missing");
        }

        if (IsColumn(key) || key == Labels)
        {
            return key;
        }

        if (TreeObject.BuiltInKeys.Contains(key))
        {
            throw FilterError.Key(key, "this built-in key cannot be queried");
        }

        if (!IsValidCustomKey(key))
        {
            throw FilterError.Key(key, "a custom key must match ^[A-Za-z_][A-Za-z0-9_-]{0,63}$");
        }

        return key;
    }

    /// <summary>Throws <see cref="TreeErrorCode.InvalidFilter"/> unless the key can be sorted on.</summary>
    public static string ValidateSort(string? key)
    {
        Validate(key);
        if (key == Labels)
        {
            throw FilterError.Invalid("cannot sort on 'lbls'");
        }

        return key!;
    }

    /// <summary>True when the name matches <c>^[A-Za-z_][A-Za-z0-9_-]{0,63}$</c>.</summary>
    public static bool IsValidCustomKey(string key)
    {
        if (key.Length is 0 or > 64 || !(char.IsAsciiLetter(key[0]) || key[0] == '_'))
        {
            return false;
        }

        foreach (var ch in key.AsSpan(1))
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
