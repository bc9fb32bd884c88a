using Grove.Tree.Query;

namespace Grove.Tree.Internal.Sql;

/// <summary>Writes prefix, regex and wildcard filters.</summary>
internal static class SqlMatchWriter
{
    /// <summary>The condition for a match filter.</summary>
    public static string Write(SqlDialect dialect, MatchFilter m, SqlParams ps)
    {
        var key = FilterKeys.Validate(m.Key);
        if (key == FilterKeys.Labels)
        {
            throw FilterError.Key(key, "labels cannot be matched against a pattern; give the labels instead");
        }

        var pattern = m.Pattern ?? throw FilterError.Key(key, "the pattern is missing");
        if (m.Kind == MatchKind.Regex)
        {
            RegexCache.Get(pattern, key);
        }
        else if (m.Kind is not (MatchKind.Prefix or MatchKind.Wildcard))
        {
            throw FilterError.Key(key, $"unknown match kind {m.Kind}");
        }

        var k = new SqlKey(dialect, key);
        if (key == "race")
        {
            return Race(m, k, ps);
        }

        if (k.TextExpr is not { } e)
        {
            return SqlKey.False;
        }

        var sqlite = dialect == SqlDialect.Sqlite;
        var cond = m.Kind switch
        {
            MatchKind.Prefix => Prefix(e, pattern, ps),
            MatchKind.Regex => sqlite ? $"{e} REGEXP {ps.Add(pattern)}" : $"{e} ~ {ps.Add(pattern)}",
            _ => sqlite
                ? $"{e} GLOB {ps.Add(WildcardMatcher.ToGlob(pattern))}"
                : $"{e} LIKE {ps.Add(WildcardMatcher.ToLike(pattern))} ESCAPE '\\'",
        };
        return k.TextGuard is { } guard ? $"({guard} AND {cond})" : cond;
    }

    private static string Prefix(string e, string prefix, SqlParams ps)
    {
        if (prefix.Length == 0)
        {
            return $"{e} IS NOT NULL";
        }

        var lo = $"{e} >= {ps.Add(prefix)}";
        return PrefixRange.Successor(prefix) is { } hi ? $"({lo} AND {e} < {ps.Add(hi)})" : lo;
    }

    // race is stored as 0/1 but matched as its name, so match the two names here.
    private static string Race(MatchFilter m, SqlKey k, SqlParams ps)
    {
        var test = FilterEvaluator.Compile(m);
        var hits = new[] { (Name: ObjectRace.Dir, Code: 0L), (Name: ObjectRace.File, Code: 1L) }
            .Where(r => test(new TreeObject { Id = "", ParentId = "", Name = "", Race = r.Name }))
            .ToList();
        return hits.Count switch
        {
            0 => SqlKey.False,
            1 => $"{k.Key} = {ps.Add(hits[0].Code)}",
            _ => SqlKey.True,
        };
    }
}
