namespace Grove.Tree.Internal.Sql;

/// <summary>
/// The SQL expressions that read a custom key from <c>meta</c>. Queries and expression indexes must use these exact
/// strings so the planner matches them. Keys are validated names, never values, so they are safe to embed.
/// </summary>
internal static class SqlMetaExprs
{
    /// <summary>
    /// SQLite: the key's value, with booleans as the blobs <c>x'00'</c>/<c>x'01'</c> and arrays/objects as NULL, so
    /// SQLite's own order (NULL, numbers, text, blobs) is the query order: missing, numbers, strings, false, true.
    /// </summary>
    public static string SqliteValue(string key)
    {
        var path = $"'$.\"{Checked(key)}\"'";
        return $"(CASE json_type(meta, {path}) WHEN 'true' THEN x'01' WHEN 'false' THEN x'00' "
            + $"WHEN 'array' THEN NULL WHEN 'object' THEN NULL ELSE json_extract(meta, {path}) END)";
    }

    /// <summary>PostgreSQL: the jsonb value when it is a number or boolean, else NULL (jsonb orders numbers before booleans).</summary>
    public static string PgJson(string key)
    {
        var field = $"meta->'{Checked(key)}'";
        return $"(CASE jsonb_typeof({field}) WHEN 'number' THEN {field} WHEN 'boolean' THEN {field} END)";
    }

    /// <summary>PostgreSQL: the text value when it is a string, else NULL; <c>COLLATE "C"</c> for byte order (jsonb strings use the database collation).</summary>
    public static string PgText(string key)
    {
        var k = Checked(key);
        return $"(CASE jsonb_typeof(meta->'{k}') WHEN 'string' THEN (meta->>'{k}') COLLATE \"C\" END)";
    }

    /// <summary>PostgreSQL: the kind rank (1 number, 2 string, 3 boolean; NULL when missing), the first sort term.</summary>
    public static string PgRank(string key) =>
        $"(CASE jsonb_typeof(meta->'{Checked(key)}') WHEN 'number' THEN 1 WHEN 'string' THEN 2 WHEN 'boolean' THEN 3 END)";

    private static string Checked(string key) => FilterKeys.IsValidCustomKey(key) && !TreeObject.BuiltInKeys.Contains(key)
        ? key
        : throw FilterError.Key(key, "not a valid custom key");
}
