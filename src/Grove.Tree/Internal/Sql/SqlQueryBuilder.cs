using System.Text;

namespace Grove.Tree.Internal.Sql;

/// <summary>
/// Builds the SQL of an <see cref="IndexQuery"/> over the <c>obj</c> table:
/// <c>SELECT cols FROM obj WHERE filter AND keyset ORDER BY ... LIMIT n</c>, with every value a parameter.
/// Its results equal <see cref="FilterEvaluator"/> filtering and <see cref="ObjectComparer"/> ordering.
/// </summary>
internal sealed class SqlQueryBuilder(SqlDialect dialect)
{
    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>The dialect written.</summary>
    public SqlDialect Dialect => dialect;

    /// <summary>
    /// The statement selecting <paramref name="columns"/> (trusted SQL from the indexer). Throws
    /// <see cref="TreeErrorCode.InvalidFilter"/> for a bad filter, sort, limit or cursor values.
    /// </summary>
    public SqlStatement Build(IndexQuery query, string columns)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(columns);
        if (query.Limit is < 1 or > MaxLimit)
        {
            throw FilterError.Invalid($"limit must be between 1 and {MaxLimit}, not {query.Limit}");
        }

        var sort = SortKeys.Normalize(query.Sort);
        var ps = new SqlParams();
        var where = new SqlFilterWriter(dialect, ps).Write(query.Filter);
        var sql = new StringBuilder("SELECT ").Append(columns).Append(" FROM obj");
        var keyset = query.After is null ? null : SqlKeysetWriter.After(dialect, sort, query.After, ps);
        var conds = new[] { where, keyset }.Where(c => c is not null && c != SqlKey.True).ToList();
        if (conds.Count > 0)
        {
            sql.Append(" WHERE ").Append(string.Join(" AND ", conds));
        }

        sql.Append(" ORDER BY ").Append(SqlKeysetWriter.OrderBy(dialect, sort));
        sql.Append(" LIMIT ").Append(ps.Add(query.Limit));
        return new SqlStatement(sql.ToString(), ps.Items);
    }

    /// <summary>Only the condition of a filter (for counts, deletes, or scoping with more conditions).</summary>
    public SqlStatement BuildCondition(Query.Filter? filter)
    {
        var ps = new SqlParams();
        return new SqlStatement(new SqlFilterWriter(dialect, ps).Write(filter), ps.Items);
    }

    /// <summary>
    /// The expression a query uses for a custom key, for expression indexes. SQLite: the value (booleans as
    /// <c>x'00'</c>/<c>x'01'</c>). PostgreSQL: the jsonb value of numbers and booleans; strings use
    /// <see cref="MetaIndexExprs"/>'s text expression.
    /// </summary>
    public static string MetaExpr(SqlDialect dialect, string key) =>
        dialect == SqlDialect.Sqlite ? SqlMetaExprs.SqliteValue(key) : SqlMetaExprs.PgJson(key);

    /// <summary>
    /// The expressions to index, one index each, so filters on a custom key do not scan. SQLite: the value.
    /// PostgreSQL: the jsonb expression (numbers, booleans) and the text expression (strings, <c>COLLATE "C"</c>).
    /// </summary>
    public static IReadOnlyList<string> MetaIndexExprs(SqlDialect dialect, string key) => dialect == SqlDialect.Sqlite
        ? [SqlMetaExprs.SqliteValue(key)]
        : [SqlMetaExprs.PgJson(key), SqlMetaExprs.PgText(key)];

    /// <summary>
    /// SQLite: the index on a custom key, partial (only rows that carry the key): most rows carry few of the indexed
    /// keys, and a full index gets an entry — a page written — for every row created, even without the key. Filters on
    /// the key (comparisons, ranges, presence) imply it is not null, so SQLite still uses the index for them.
    /// </summary>
    public static string SqliteMetaIndex(string name, string key)
    {
        var e = SqlMetaExprs.SqliteValue(key);
        return $"CREATE INDEX IF NOT EXISTS {name} ON obj({e}, id) WHERE {e} IS NOT NULL";
    }

    /// <summary>
    /// The expressions an ascending sort on a custom key orders by, in order (an index on them, then <c>id</c>,
    /// serves the sort). SQLite: the value. PostgreSQL: kind rank, text, jsonb.
    /// </summary>
    public static IReadOnlyList<string> MetaSortExprs(SqlDialect dialect, string key) =>
        [.. new SqlKey(dialect, FilterKeys.ValidateSort(key)).OrderTerms];
}
