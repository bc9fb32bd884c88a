using Grove.Records;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

public sealed class CacheKeyTests(ITestOutputHelper output)
{
    private const string Codes = """
        {"tableName":"t_codes","fields":[{"name":"code","type":"String"},{"name":"title"}],"pks":["code"]}
        """;

    [Fact]
    public async Task Get_TextKeysThatReadAsNumbers_StayDistinctRows()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        await records.DefineAsync("codes", RecordMapping.Parse(Codes));
        await records.InsertAsync("codes", new Dictionary<string, object?> { ["code"] = "7", ["title"] = "seven" });
        await records.InsertAsync("codes", new Dictionary<string, object?> { ["code"] = "007", ["title"] = "bond" });

        (await records.GetAsync("codes", ["007"]))!["title"].ShouldBe("bond");
        (await records.GetAsync("codes", ["7"]))!["title"].ShouldBe("seven");
        (await records.GetAsync("codes", 7L))!["title"].ShouldBe("seven", "a long key 7 is the text key \"7\", not \"007\"");
        (await records.GetAsync("codes", ["007"]))!["title"].ShouldBe("bond", "the cached \"7\" does not answer for \"007\"");
    }

    [Fact]
    public async Task Update_TextKeyCachedByLongGet_InvalidatesTheCachedRow()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        await records.DefineAsync("codes", RecordMapping.Parse(Codes));
        await records.InsertAsync("codes", new Dictionary<string, object?> { ["code"] = "7", ["title"] = "old" });
        (await records.GetAsync("codes", 7L))!["title"].ShouldBe("old");

        await records.UpdateAsync("codes", new Dictionary<string, object?> { ["code"] = "7", ["title"] = "new" });

        (await records.GetAsync("codes", 7L))!["title"].ShouldBe("new");
        (await records.GetAsync("codes", ["7"]))!["title"].ShouldBe("new");
    }
}
