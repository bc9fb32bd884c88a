using Grove.Tree.Query;

namespace Grove.Tree.Tests.Contract;

public abstract partial class TreeContract
{
    private async Task SeedProductsAsync(int n)
    {
        for (var i = 0; i < n; i++)
        {
            await Tree.CreateAsync($"/shop/p{i:000}.json", ObjectRace.File, new CreateOptions
            {
                Labels = i % 2 == 0 ? ["even"] : ["odd"],
                Meta = new Dictionary<string, System.Text.Json.JsonElement>
                {
                    ["price"] = JsonValues.FromPlain((long)(i * 10)),
                    ["brand"] = JsonValues.FromPlain(i % 3 == 0 ? "acme" : "zeta"),
                },
            });
        }
    }

    [Fact]
    public async Task Query_WnQueryRangeAndLabels_ReturnsMatchesSorted()
    {
        if (StoreUnavailable) return;

        await SeedProductsAsync(40);
        var page = await Tree.QueryAsync(new TreeQuery
        {
            Parent = "/shop",
            Filter = FilterParser.Parse("""{"price":"[100,200)","lbls":"even","brand":"!zeta"}"""),
            Sort = [SortKey.Parse("-price")],
        });

        page.Items.Select(o => o.Name).ShouldBe(["p018.json", "p012.json"]);
        page.Next.ShouldBeNull();
    }

    [Fact]
    public async Task Query_OrOfMapsAndRegex_MatchesEitherBranch()
    {
        if (StoreUnavailable) return;

        await SeedProductsAsync(20);
        var page = await Tree.QueryAsync(new TreeQuery
        {
            Parent = "/shop",
            Filter = FilterParser.Parse("""[{"nm":"^p00[12]\\.json$"},{"price":[190]}]"""),
            Sort = [new SortKey("nm")],
        });

        page.Items.Select(o => o.Name).ShouldBe(["p001.json", "p002.json", "p019.json"]);
    }

    [Fact]
    public async Task Query_KeysetPaging_VisitsEveryMatchOnce()
    {
        if (StoreUnavailable) return;

        await SeedProductsAsync(45);
        await Tree.EnsureIndexAsync("brand");
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await Tree.QueryAsync(new TreeQuery
            {
                Parent = "/shop",
                Filter = FilterParser.Parse("""{"brand":"zeta"}"""),
                Sort = [new SortKey("brand"), SortKey.Parse("-price")],
                Limit = 7,
                After = after,
            });
            seen.AddRange(page.Items.Select(o => o.Name));
            after = page.Next;
        }
        while (after is not null);

        var expected = Enumerable.Range(0, 45).Where(i => i % 3 != 0).OrderByDescending(i => i).Select(i => $"p{i:000}.json");
        seen.ShouldBe(expected);
    }

    [Fact]
    public async Task Query_MalformedFilterOrCursor_ThrowsInvalidFilter()
    {
        if (StoreUnavailable) return;

        Should.Throw<TreeException>(() => FilterParser.Parse("{\"price\": \"[1,x)\"}")).Code.ShouldBe(TreeErrorCode.InvalidFilter);
        Should.Throw<TreeException>(() => FilterParser.Parse("{\"price\": }")).Code.ShouldBe(TreeErrorCode.InvalidFilter);
        Should.Throw<TreeException>(() => FilterParser.Parse("{\"nm\": \"^(a\"}")).Code.ShouldBe(TreeErrorCode.InvalidFilter);
        await Fails(TreeErrorCode.InvalidFilter, () => Tree.QueryAsync(new TreeQuery { After = "not-a-cursor" }));
    }
}
