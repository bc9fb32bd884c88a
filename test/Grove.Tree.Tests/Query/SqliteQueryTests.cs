using Grove.Tree.Internal;
using Grove.Tree.Internal.Sql;
using Grove.Tree.Query;

namespace Grove.Tree.Tests.Query;

/// <summary>Runs the SQL builder's SQLite output on a real database and compares it with the in-memory evaluator.</summary>
public sealed class SqliteQueryTests : IDisposable
{
    private const string Columns = "id";
    private static readonly List<TreeObject> Objects = TestObjects.Generate(400, 7);
    private static readonly Dictionary<string, TreeObject> ById = Objects.ToDictionary(o => o.Id);

    private readonly SqliteTestDb _db = new(Objects, "k", "n");
    private readonly SqlQueryBuilder _builder = new(SqlDialect.Sqlite);

    public static TheoryData<string> Filters => new(FilterCases.Json);

    public static TheoryData<string> Sorts => new(FilterCases.Sorts);

    public void Dispose() => _db.Dispose();

    [Theory]
    [MemberData(nameof(Filters))]
    public void Build_ParsedFilter_MatchesEvaluatorInOrder(string json)
    {
        var filter = FilterParser.Parse(json);
        foreach (var sort in new[] { QueryModel.Sort("nm"), QueryModel.Sort("-k", "n"), QueryModel.Sort() })
        {
            var expected = QueryModel.Expected(Objects, filter, sort);
            Run(new IndexQuery(filter, sort, SqlQueryBuilder.MaxLimit, null)).ShouldBe(expected, json);
        }
    }

    [Fact]
    public void Build_ParsedFilters_SelectMostlyNonTrivialSubsets()
    {
        // Guards the differential test against vacuous cases: most filters must select some but not all rows.
        var sizes = FilterCases.Json.Select(j => QueryModel.Expected(Objects, FilterParser.Parse(j), []).Count).ToList();
        sizes.Count(n => n > 0 && n < Objects.Count).ShouldBeGreaterThan(FilterCases.Json.Length * 3 / 4);
    }

    [Theory]
    [MemberData(nameof(Sorts))]
    public void Build_KeysetPaging_YieldsFullOrderedList(string sortText)
    {
        var sort = QueryModel.Sort(sortText.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var filter in new[] { null, FilterParser.Parse("""{"race":"FILE"}""") })
        {
            var expected = QueryModel.Expected(Objects, filter, sort);
            foreach (var size in new[] { 1, 7, 50 })
            {
                QueryModel.PageAll(Run, ById, filter, sort, size).ShouldBe(expected, $"{sortText} / page {size}");
            }
        }
    }

    [Fact]
    public void Build_RandomFiltersAndSorts_MatchEvaluator()
    {
        var gen = new RandomFilters(12345);
        for (var i = 0; i < 600; i++)
        {
            var filter = gen.Filter(3);
            var sort = gen.Sort();
            var expected = QueryModel.Expected(Objects, filter, sort);
            Run(new IndexQuery(filter, sort, SqlQueryBuilder.MaxLimit, null))
                .ShouldBe(expected, $"#{i} {FilterText.Of(filter)} sort {string.Join(",", sort)}");
            if (i % 20 == 0)
            {
                QueryModel.PageAll(Run, ById, filter, sort, 9).ShouldBe(expected, $"paging #{i}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sorts))]
    public void CompareToValues_MemoryPaging_YieldsSamePagesAsSql(string sortText)
    {
        var sort = QueryModel.Sort(sortText.Split(' '));
        var filter = FilterParser.Parse("""{"%or":[{"k":{"$exists":true}},{"len":"[0,2000)"}]}""");
        var expected = QueryModel.Expected(Objects, filter, sort);
        QueryModel.PageAll(q => QueryModel.RunInMemory(Objects, q), ById, filter, sort, 11).ShouldBe(expected);
    }

    [Fact]
    public void Build_LimitAndCursor_ReturnsNextSlice()
    {
        var sort = QueryModel.Sort("-len", "nm");
        var expected = QueryModel.Expected(Objects, null, sort);
        var comparer = new ObjectComparer(sort);
        var after = comparer.ValuesOf(ById[expected[9]]);
        Run(new IndexQuery(null, comparer.Keys, 5, after)).ShouldBe(expected.Skip(10).Take(5));
    }

    [Fact]
    public void Build_CustomKeyFilter_UsesExpressionIndex()
    {
        var st = _builder.Build(new IndexQuery(FilterParser.Parse("""{"k":{"$gte":2,"$lt":5}}"""), [], 10, null), Columns);
        // Note that newer SQLite may name it a covering index: either way the expression index is used.
        _db.Plan(st).ShouldMatch(@"USING (COVERING )?INDEX ix_k_0");
    }

    [Theory]
    [InlineData("""{"k":3}""")]
    [InlineData("""{"k":"[1,4)"}""")]
    [InlineData("""{"k":{"$in":[1,5]}}""")]
    public void Build_FiltersImplyingTheKey_UseThePartialIndex(string filter)
    {
        // Note that the index holds only rows carrying the key: a filter that needs the key present may use it.
        var st = _builder.Build(new IndexQuery(FilterParser.Parse(filter), [], 10, null), Columns);
        _db.Plan(st).ShouldMatch(@"USING (COVERING )?INDEX ix_k_0");
    }

    [Fact]
    public void Build_PrefixOnName_IsRangeAndMatchesStartsWith()
    {
        var st = _builder.Build(new IndexQuery(new MatchFilter("nm", MatchKind.Prefix, "a"), [], 1000, null), Columns);
        st.Text.ShouldContain("nm >= @p0 AND nm < @p1");
        st.Parameters[1].Value.ShouldBe("b");
        _db.Ids(st).ShouldBe(QueryModel.Expected(Objects, new MatchFilter("nm", MatchKind.Prefix, "a"), []));
    }

    private List<string> Run(IndexQuery q) => _db.Ids(_builder.Build(q, Columns));
}
