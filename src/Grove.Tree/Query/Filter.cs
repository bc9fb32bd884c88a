namespace Grove.Tree.Query;

/// <summary>
/// A query filter over object metadata. Build one with the static helpers or parse the WnQuery JSON form with
/// <c>FilterParser</c>. Keys are the short built-in names (<c>nm</c>, <c>len</c>, …) or custom keys.
/// Values are plain: string, long, double, bool or null.
/// </summary>
public abstract record Filter
{
    /// <summary>All of the filters hold.</summary>
    public static Filter And(params Filter[] items) => new AndFilter(items);

    /// <summary>Any of the filters holds.</summary>
    public static Filter Or(params Filter[] items) => new OrFilter(items);

    /// <summary>The key equals the value.</summary>
    public static Filter Eq(string key, object? value) => new CompareFilter(key, CompareOp.Eq, value);

    /// <summary>The key is one of the values.</summary>
    public static Filter In(string key, params object?[] values) => new InFilter(key, values);
}

/// <summary>All items hold. An empty list always holds.</summary>
public sealed record AndFilter(IReadOnlyList<Filter> Items) : Filter;

/// <summary>At least one item holds. An empty list never holds.</summary>
public sealed record OrFilter(IReadOnlyList<Filter> Items) : Filter;

/// <summary>The inner filter does not hold.</summary>
public sealed record NotFilter(Filter Inner) : Filter;

/// <summary>Compares a key with a value. A missing key compares as null: only <c>Eq null</c> and <c>Ne value</c> match it.</summary>
public sealed record CompareFilter(string Key, CompareOp Op, object? Value) : Filter;

/// <summary>The key's value is one of <see cref="Values"/>.</summary>
public sealed record InFilter(string Key, IReadOnlyList<object?> Values) : Filter;

/// <summary>A string key matches a pattern: a prefix, a .NET/POSIX-compatible regular expression, or a <c>*</c>/<c>?</c> wildcard.</summary>
public sealed record MatchFilter(string Key, MatchKind Kind, string Pattern) : Filter;

/// <summary>The object carries every one of the labels.</summary>
public sealed record LabelsFilter(IReadOnlyList<string> Labels) : Filter;

/// <summary>The key is present (not null) or absent.</summary>
public sealed record ExistsFilter(string Key, bool Exists) : Filter;

/// <summary>Comparison operators.</summary>
public enum CompareOp
{
    /// <summary>Equal.</summary>
    Eq,

    /// <summary>Not equal.</summary>
    Ne,

    /// <summary>Less than.</summary>
    Lt,

    /// <summary>Less than or equal.</summary>
    Le,

    /// <summary>Greater than.</summary>
    Gt,

    /// <summary>Greater than or equal.</summary>
    Ge,
}

/// <summary>String pattern kinds.</summary>
public enum MatchKind
{
    /// <summary>Starts with the pattern.</summary>
    Prefix,

    /// <summary>Regular expression (the common subset of .NET and PostgreSQL syntax).</summary>
    Regex,

    /// <summary>Wildcard: <c>*</c> any run, <c>?</c> one character.</summary>
    Wildcard,
}
