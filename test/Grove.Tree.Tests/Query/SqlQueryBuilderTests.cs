using Grove.Tree.Internal;
using Grove.Tree.Internal.Sql;
using Grove.Tree.Query;

namespace Grove.Tree.Tests.Query;

/// <summary>The SQL text the builder writes, for both dialects, and its validation.</summary>
public sealed class SqlQueryBuilderTests
{
    private static readonly SqlQueryBuilder Pg = new(SqlDialect.Postgres);
    private static readonly SqlQueryBuilder Lite = new(SqlDialect.Sqlite);

    private static SqlStatement Build(SqlQueryBuilder b, string json, IReadOnlyList<SortKey>? sort = null,
        IReadOnlyList<object?>? after = null, int limit = 10) =>
        b.Build(new IndexQuery(FilterParser.Parse(json), sort ?? [], limit, after), "id, nm");

    [Fact]
    public void MetaExpr_Sqlite_IsExactIndexableExpression() =>
        SqlQueryBuilder.MetaExpr(SqlDialect.Sqlite, "my-key").ShouldBe(
            """(CASE json_type(meta, '$."my-key"') WHEN 'true' THEN x'01' WHEN 'false' THEN x'00' WHEN 'array' THEN NULL """
            + """WHEN 'object' THEN NULL ELSE json_extract(meta, '$."my-key"') END)""");

    [Fact]
    public void MetaIndexExprs_Postgres_AreJsonAndCollatedText()
    {
        SqlQueryBuilder.MetaIndexExprs(SqlDialect.Postgres, "k").ShouldBe([
            "(CASE jsonb_typeof(meta->'k') WHEN 'number' THEN meta->'k' WHEN 'boolean' THEN meta->'k' END)",
            """(CASE jsonb_typeof(meta->'k') WHEN 'string' THEN (meta->>'k') COLLATE "C" END)""",
        ]);
        SqlQueryBuilder.MetaExpr(SqlDialect.Postgres, "k").ShouldBe(SqlQueryBuilder.MetaIndexExprs(SqlDialect.Postgres, "k")[0]);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("nm")]
    [InlineData("a'b")]
    public void MetaExpr_NotACustomKey_Throws(string key) =>
        Should.Throw<TreeException>(() => SqlQueryBuilder.MetaExpr(SqlDialect.Postgres, key)).Code.ShouldBe(TreeErrorCode.InvalidFilter);

    [Fact]
    public void Build_PgRegexOnColumn_UsesTildeAndNoCollate()
    {
        var st = Build(Pg, """{"nm":"^a.*"}""", [new SortKey("nm")]);
        st.Text.ShouldBe("SELECT id, nm FROM obj WHERE nm ~ @p0 ORDER BY nm ASC, id ASC LIMIT @p1");
        st.Parameters.ShouldBe([new SqlParam("@p0", "^a.*", false), new SqlParam("@p1", 10, false)]);
    }

    [Fact]
    public void Build_PgLabels_UsesContainmentWithJsonParam()
    {
        var st = Build(Pg, """{"lbls":["red","x y"]}""");
        st.Text.ShouldContain("WHERE lbls @> @p0::jsonb ORDER BY");
        st.Parameters[0].ShouldBe(new SqlParam("@p0", """["red","x y"]""", true));
    }

    [Fact]
    public void Build_PgCustomNumber_ComparesJsonbOfItsKind()
    {
        var st = Build(Pg, """{"k":{"$gt":5}}""");
        var j = SqlQueryBuilder.MetaExpr(SqlDialect.Postgres, "k");
        st.Text.ShouldContain($"WHERE ({j} > @p0::jsonb AND {j} < 'false'::jsonb)");
        st.Parameters[0].ShouldBe(new SqlParam("@p0", "5", true));
        Build(Pg, """{"k":2.5}""").Parameters[0].ShouldBe(new SqlParam("@p0", "2.5", true));
        Build(Pg, """{"k":true}""").Parameters[0].ShouldBe(new SqlParam("@p0", "true", true));
    }

    [Fact]
    public void Build_PgCustomString_UsesCollatedTextExpression()
    {
        var st = Build(Pg, """{"k":"!abc"}""");
        var s = SqlQueryBuilder.MetaIndexExprs(SqlDialect.Postgres, "k")[1];
        st.Text.ShouldContain($"WHERE ({s} IS NULL OR {s} <> @p0)");
        st.Parameters[0].ShouldBe(new SqlParam("@p0", "abc", false));
    }

    [Fact]
    public void Build_PgWildcard_EscapesLikeSpecials()
    {
        var st = Build(Pg, """{"nm":"a_%\\*?"}""");
        st.Text.ShouldContain(@"WHERE nm LIKE @p0 ESCAPE '\'");
        st.Parameters[0].Value.ShouldBe(@"a\_\%\\%_");
    }

    [Fact]
    public void Build_PgSortOnCustomKey_OrdersByRankTextJson()
    {
        var st = Build(Pg, "{}", [new SortKey("k", true)]);
        var terms = SqlQueryBuilder.MetaSortExprs(SqlDialect.Postgres, "k");
        terms.Count.ShouldBe(3);
        st.Text.ShouldEndWith($"ORDER BY {terms[0]} DESC NULLS LAST, {terms[1]} DESC NULLS LAST, {terms[2]} DESC NULLS LAST, id ASC LIMIT @p0");
        st.Text.ShouldNotContain("WHERE");
    }

    [Fact]
    public void Build_SqliteWildcardAndRegex_UseGlobAndRegexp()
    {
        var st = Build(Lite, """{"nm":"[a]*?","tp":"^t"}""");
        st.Text.ShouldContain("WHERE (nm GLOB @p0 AND tp REGEXP @p1)");
        st.Parameters[0].Value.ShouldBe("[[]a]*?");
    }

    [Fact]
    public void Build_SqliteLabels_UsesJsonEachPerLabel()
    {
        var st = Build(Lite, """{"lbls":["a","b"]}""");
        st.Text.ShouldContain("EXISTS (SELECT 1 FROM json_each(obj.lbls) WHERE value = @p0) AND EXISTS (SELECT 1 FROM json_each(obj.lbls) WHERE value = @p1)");
    }

    [Fact]
    public void Build_SqliteBoolOperand_BindsBlob()
    {
        var st = Build(Lite, """{"k":true}""");
        st.Parameters[0].Value.ShouldBe(new byte[] { 1 });
    }

    [Fact]
    public void Build_NullableSort_PlacesNullsAndKeysetIsNullAware()
    {
        var st = Build(Lite, "{}", [new SortKey("expi", true)], [null, "id5"]);
        st.Text.ShouldBe("SELECT id, nm FROM obj WHERE (expi IS NULL AND id > @p0) ORDER BY expi DESC NULLS LAST, id ASC LIMIT @p1");
        Build(Lite, "{}", [new SortKey("tp")], [null, "id5"]).Text
            .ShouldContain("WHERE (tp IS NOT NULL OR (tp IS NULL AND id > @p0)) ORDER BY tp ASC NULLS FIRST, id ASC");
    }

    [Fact]
    public void Build_NotNullColumnsOneDirection_UsesRowValue()
    {
        var st = Build(Pg, """{"pid":"p1"}""", [new SortKey("nm", true), new SortKey("id", true)], ["b", "id9"]);
        st.Text.ShouldBe("SELECT id, nm FROM obj WHERE pid = @p0 AND (nm, id) < (@p1, @p2) ORDER BY nm DESC, id DESC LIMIT @p3");
    }

    [Fact]
    public void Build_RaceCursorByName_MapsToCode() =>
        Build(Lite, "{}", [new SortKey("race")], ["FILE", "x"]).Parameters[0].Value.ShouldBe(1L);

    [Fact]
    public void Build_MatchOnRace_ResolvesNames()
    {
        Build(Lite, """{"race":"F*"}""").Text.ShouldContain("WHERE race = @p0");
        Build(Lite, """{"race":"^x"}""").Text.ShouldContain("WHERE 1=0");
        Build(Lite, """{"race":"*"}""").Text.ShouldNotContain("WHERE");
    }

    [Fact]
    public void Build_KindMismatchOnColumn_IsConstant()
    {
        Build(Lite, """{"len":"5"}""").Text.ShouldContain("WHERE 1=0");
        Build(Lite, """{"len":"!5"}""").Text.ShouldNotContain("WHERE");
        Build(Lite, """{"nm":{"$in":[1,true]}}""").Text.ShouldContain("WHERE 1=0");
    }

    [Fact]
    public void Build_Not_UsesIsNotTrue() =>
        Build(Lite, """{"len":"!(,5]"}""").Text.ShouldContain("WHERE (len <= @p0) IS NOT TRUE");

    [Fact]
    public void Build_NeverInlinesValues()
    {
        var st = Build(Pg, """{"nm":"x'; DROP TABLE obj; --","k":"'"}""");
        st.Text.ShouldNotContain("DROP");
        st.Parameters.Select(p => p.Value).ShouldContain("x'; DROP TABLE obj; --");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    [InlineData(-5)]
    public void Build_LimitOutOfRange_Throws(int limit) =>
        Should.Throw<TreeException>(() => Build(Lite, "{}", limit: limit)).Message.ShouldContain("limit must be between 1 and 10000");

    [Theory]
    [MemberData(nameof(BadCursors))]
    public void Build_BadCursorValues_Throws(object?[] after)
    {
        var e = Should.Throw<TreeException>(() => Build(Pg, "{}", [new SortKey("len"), new SortKey("nm")], after));
        e.Code.ShouldBe(TreeErrorCode.InvalidFilter);
        e.Message.ShouldBe("bad cursor");
    }

    public static TheoryData<object?[]> BadCursors => new(
        ["a", "b", "c"],
        [1L, "b"],
        ["5", "b", "id"],
        [1L, 2L, "id"],
        [1L, "b", new object()]);

    [Fact]
    public void Build_SortOnLabels_Throws() =>
        Should.Throw<TreeException>(() => Build(Lite, "{}", [new SortKey("lbls")])).Code.ShouldBe(TreeErrorCode.InvalidFilter);

    [Fact]
    public void BuildCondition_GivesWhereClauseOnly()
    {
        var st = Lite.BuildCondition(FilterParser.Parse("""{"nm":"a*"}"""));
        st.Text.ShouldBe("(nm >= @p0 AND nm < @p1)");
        st.Parameters.Select(p => p.Value).ShouldBe(["a", "b"]);
    }
}
