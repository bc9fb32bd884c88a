using System.Globalization;
using System.Text.Json;
using Grove.Tree.Query;

namespace Grove.Tree.Internal.Sql;

/// <summary>
/// How one key (a built-in column or a custom key in <c>meta</c>) reads in SQL: the conditions on it, its sort terms
/// and its keyset steps. Every condition it writes is TRUE or FALSE/NULL exactly when the in-memory evaluator says
/// true or false; NULL only arises where false is meant.
/// </summary>
internal sealed class SqlKey
{
    /// <summary>A condition that always holds.</summary>
    public const string True = "1=1";

    /// <summary>A condition that never holds.</summary>
    public const string False = "1=0";

    private readonly bool _sqlite;
    private readonly ValueKind? _columnKind;
    private readonly string _value;
    private readonly string? _text;
    private readonly string? _rank;

    /// <summary>Creates the view of a validated, non-label key.</summary>
    public SqlKey(SqlDialect dialect, string key)
    {
        Key = key;
        _sqlite = dialect == SqlDialect.Sqlite;
        _columnKind = FilterKeys.ColumnKind(key);
        if (_columnKind is not null)
        {
            _value = key;
        }
        else if (_sqlite)
        {
            _value = SqlMetaExprs.SqliteValue(key);
        }
        else
        {
            _value = SqlMetaExprs.PgJson(key);
            _text = SqlMetaExprs.PgText(key);
            _rank = SqlMetaExprs.PgRank(key);
        }
    }

    /// <summary>The key.</summary>
    public string Key { get; }

    /// <summary>The expression holding string values, or null when the key never holds strings.</summary>
    public string? TextExpr => ExprFor(ValueKind.String);

    /// <summary>For SQLite custom keys, the condition that the value is text; otherwise null (the text expression implies it).</summary>
    public string? TextGuard => _sqlite && _columnKind is null ? $"{_value} >= '' AND {_value} < x''" : null;

    /// <summary>The value is missing.</summary>
    public string Missing => $"{_rank ?? _value} IS NULL";

    /// <summary>The value is present.</summary>
    public string Present => $"{_rank ?? _value} IS NOT NULL";

    /// <summary>The ORDER BY terms, without direction.</summary>
    public IEnumerable<string> OrderTerms => _rank is null ? [_value] : [_rank, _text!, _value];

    /// <summary>True when the column can never be NULL.</summary>
    public bool IsNotNull => FilterKeys.IsNotNull(Key);

    /// <summary>The expression holding values of the kind, or null when the key never holds that kind.</summary>
    public string? ExprFor(ValueKind kind) => _columnKind switch
    {
        null => kind == ValueKind.String && _text is not null ? _text : _value,
        var k => k == kind ? _value : null,
    };

    /// <summary>The placeholder for a non-null operand compared with <see cref="ExprFor"/> of its kind.</summary>
    public string Param(SqlParams ps, object value)
    {
        if (_columnKind is not null || value is string)
        {
            return ps.Add(value);
        }

        if (_sqlite)
        {
            return value is bool b ? ps.Add(new[] { b ? (byte)1 : (byte)0 }) : ps.Add(value);
        }

        return ps.AddJson(value switch
        {
            bool b => b ? "true" : "false",
            long l => l.ToString(CultureInfo.InvariantCulture),
            _ => JsonSerializer.Serialize((double)value),
        });
    }

    /// <summary>The value is of the operand's kind and compares with it by <paramref name="op"/> (not <c>Ne</c>).</summary>
    public string Compare(CompareOp op, object value, SqlParams ps)
    {
        var kind = ScalarOrder.KindOf(value);
        var e = ExprFor(kind);
        if (e is null)
        {
            return False;
        }

        var cmp = $"{e} {Symbol(op)} {Param(ps, value)}";
        var guard = Guard(kind, op, e);
        return guard is null ? cmp : $"({cmp} AND {guard})";
    }

    /// <summary>The value is missing or not equal to the operand (a different kind is not equal).</summary>
    public string NotEqual(object value, SqlParams ps)
    {
        var e = ExprFor(ScalarOrder.KindOf(value));
        return e is null ? True : $"({e} IS NULL OR {e} <> {Param(ps, value)})";
    }

    /// <summary>The value equals the cursor value (null meaning missing).</summary>
    public string Tie(object? value, SqlParams ps) => value is null ? Missing : Compare(CompareOp.Eq, value, ps);

    /// <summary>The value sorts strictly after the cursor value in the key's direction (null is the smallest value).</summary>
    public string After(object? value, bool descending, SqlParams ps)
    {
        if (value is null)
        {
            return descending ? False : Present;
        }

        var kind = ScalarOrder.KindOf(value);
        var e = ExprFor(kind) ?? throw FilterError.Invalid("bad cursor");
        var op = descending ? "<" : ">";
        var p = Param(ps, value);
        if (_rank is not null)
        {
            var r = ((int)kind).ToString(CultureInfo.InvariantCulture);
            var step = $"{_rank} {op} {r} OR ({_rank} = {r} AND {e} {op} {p})";
            return descending ? $"({_rank} IS NULL OR {step})" : $"({step})";
        }

        // One expression whose native order is the query order: NULL, numbers, text, blobs.
        return descending && !IsNotNull ? $"({e} IS NULL OR {e} < {p})" : $"{e} {op} {p}";
    }

    private string? Guard(ValueKind kind, CompareOp op, string e)
    {
        if (_columnKind is not null || op == CompareOp.Eq)
        {
            return null;
        }

        var below = op is CompareOp.Lt or CompareOp.Le;
        if (_sqlite)
        {
            // Bound the range to the operand's kind: numbers < '' <= text < x'' <= booleans.
            return (kind, below) switch
            {
                (ValueKind.String, true) => $"{e} >= ''",
                (ValueKind.String, false) => $"{e} < x''",
                (ValueKind.Number, false) => $"{e} < ''",
                (ValueKind.Bool, true) => $"{e} >= x''",
                _ => null,
            };
        }

        // PostgreSQL jsonb orders numbers before booleans; strings live in their own expression.
        return (kind, below) switch
        {
            (ValueKind.Number, false) => $"{e} < 'false'::jsonb",
            (ValueKind.Bool, true) => $"{e} >= 'false'::jsonb",
            _ => null,
        };
    }

    private static string Symbol(CompareOp op) => op switch
    {
        CompareOp.Eq => "=",
        CompareOp.Lt => "<",
        CompareOp.Le => "<=",
        CompareOp.Gt => ">",
        CompareOp.Ge => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
