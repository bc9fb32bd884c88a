namespace Grove.Tree.Internal.Sql;

/// <summary>The SQL dialects the query builder writes.</summary>
internal enum SqlDialect
{
    /// <summary>SQLite 3.30 or later, with the JSON1 functions and a <c>regexp(pattern, value)</c> function registered.</summary>
    Sqlite,

    /// <summary>PostgreSQL 13 or later; <c>meta</c> and <c>lbls</c> are jsonb, text columns are <c>COLLATE "C"</c>.</summary>
    Postgres,
}
