using Grove.Tree.Internal;
using Grove.Tree.Internal.Sql;
using Grove.Tree.Query;

namespace Grove.Tree.Tests.Query;

/// <summary>
/// Runs the builder's PostgreSQL output on a real server and compares it with the in-memory evaluator.
/// Opt-in: set <c>GROVE_TEST_PG</c>; use a database whose default collation is not C to prove byte order.
/// </summary>
public sealed class PostgresQueryTests
{
    private const string Columns = "id";
    private static readonly List<TreeObject> Objects = TestObjects.Generate(400, 7);
    private static readonly Dictionary<string, TreeObject> ById = Objects.ToDictionary(o => o.Id);
    private readonly SqlQueryBuilder _builder = new(SqlDialect.Postgres);

    [PgFact]
    public void Build_ParsedFiltersAndSorts_MatchEvaluator()
    {
        using var db = new PgTestDb(Objects, "k", "s");
        foreach (var json in FilterCases.Json)
        {
            var filter = FilterParser.Parse(json);
            foreach (var sort in new[] { QueryModel.Sort("nm"), QueryModel.Sort("-k", "n"), QueryModel.Sort("s") })
            {
                db.Ids(_builder.Build(new IndexQuery(filter, sort, SqlQueryBuilder.MaxLimit, null), Columns))
                    .ShouldBe(QueryModel.Expected(Objects, filter, sort), json);
            }
        }
    }

    [PgFact]
    public void Build_KeysetPaging_YieldsFullOrderedList()
    {
        using var db = new PgTestDb(Objects);
        foreach (var sortText in FilterCases.Sorts)
        {
            var sort = QueryModel.Sort(sortText.Split(' '));
            var expected = QueryModel.Expected(Objects, null, sort);
            QueryModel.PageAll(q => db.Ids(_builder.Build(q, Columns)), ById, null, sort, 13).ShouldBe(expected, sortText);
        }
    }

    [PgFact]
    public void Build_RandomFiltersAndSorts_MatchEvaluator()
    {
        using var db = new PgTestDb(Objects);
        db.TypedJson = false;
        var gen = new RandomFilters(12345);
        for (var i = 0; i < 600; i++)
        {
            var filter = gen.Filter(3);
            var sort = gen.Sort();
            var expected = QueryModel.Expected(Objects, filter, sort);
            db.Ids(_builder.Build(new IndexQuery(filter, sort, SqlQueryBuilder.MaxLimit, null), Columns))
                .ShouldBe(expected, $"#{i} {FilterText.Of(filter)} sort {string.Join(",", sort)}");
            if (i % 20 == 0)
            {
                QueryModel.PageAll(q => db.Ids(_builder.Build(q, Columns)), ById, filter, sort, 9).ShouldBe(expected, $"paging #{i}");
            }
        }
    }

    [PgFact]
    public void Build_CustomKeyFilters_UseMetaIndexes()
    {
        using var db = new PgTestDb(TestObjects.Generate(3000, 3), "k");
        db.Execute("SET enable_seqscan = off");
        string Plan(string json) =>
            db.Plan(_builder.Build(new IndexQuery(FilterParser.Parse(json), [], SqlQueryBuilder.MaxLimit, null), Columns));
        Plan("""{"k":{"$gt":2,"$lt":3}}""").ShouldContain("ix_k_0");
        Plan("""{"k":true}""").ShouldContain("ix_k_0");
        Plan("""{"k":"ab*"}""").ShouldContain("ix_k_1");
        Plan("""{"k":"b"}""").ShouldContain("ix_k_1");
    }
}
