using System.Text.Json;
using Grove.Tree.Internal;
using Grove.Tree.Query;

namespace Grove.Tree.Tests.Query;

public sealed class ObjectComparerTests
{
    private static TreeObject Obj(string id, string? kJson) => new()
    {
        Id = id,
        ParentId = "p",
        Name = id,
        Meta = kJson is null
            ? TreeObject.EmptyMeta
            : new Dictionary<string, JsonElement> { ["k"] = JsonDocument.Parse(kJson).RootElement.Clone() },
    };

    private static readonly TreeObject[] Mixed =
    [
        Obj("a1", "true"), Obj("a2", "\"b\""), Obj("a3", null), Obj("a4", "2.5"), Obj("a5", "false"),
        Obj("a6", "\"B\""), Obj("a7", "-1"), Obj("a8", "[1]"), Obj("a9", "2"), Obj("b0", "\"😀\""), Obj("b1", "\"\uFFFD\""),
    ];

    [Fact]
    public void Compare_Ascending_NullThenNumbersStringsBools()
    {
        var sorted = Mixed.OrderBy(o => o, new ObjectComparer([new SortKey("k")])).Select(o => o.Id);
        sorted.ShouldBe(["a3", "a8", "a7", "a9", "a4", "a6", "a2", "b1", "b0", "a5", "a1"]);
    }

    [Fact]
    public void Compare_Descending_ReversesKeyButNotIdTieBreak()
    {
        var sorted = Mixed.OrderBy(o => o, new ObjectComparer([new SortKey("k", true)])).Select(o => o.Id);
        sorted.ShouldBe(["a1", "a5", "b0", "b1", "a2", "a6", "a4", "a9", "a7", "a3", "a8"]);
    }

    [Fact]
    public void Keys_WithoutId_AppendsIdAscending()
    {
        new ObjectComparer([new SortKey("nm", true)]).Keys.ShouldBe([new SortKey("nm", true), new SortKey("id")]);
        new ObjectComparer([]).Keys.ShouldBe([new SortKey("id")]);
        new ObjectComparer([new SortKey("id", true)]).Keys.ShouldBe([new SortKey("id", true)]);
    }

    [Fact]
    public void ValuesOf_GivesPlainSortValues()
    {
        var o = Obj("x", "\"v\"") with { Race = ObjectRace.Dir, Expires = null };
        new ObjectComparer([new SortKey("k"), new SortKey("race"), new SortKey("expi")]).ValuesOf(o)
            .ShouldBe(new object?[] { "v", 0L, null, "x" });
    }

    [Fact]
    public void CompareToValues_CursorValues_OrdersLikeRows()
    {
        var c = new ObjectComparer([new SortKey("k", true), new SortKey("race")]);
        var o = Obj("a5", "2") with { Race = ObjectRace.File };
        c.CompareToValues(o, [2L, "FILE", "a5"]).ShouldBe(0);
        c.CompareToValues(o, [2.0, 1L, "a4"]).ShouldBeGreaterThan(0);
        c.CompareToValues(o, ["x", 0L, "a9"]).ShouldBeGreaterThan(0);
        c.CompareToValues(o, [null, 0L, "a0"]).ShouldBeLessThan(0);
        Should.Throw<TreeException>(() => c.CompareToValues(o, [1L, 0L])).Message.ShouldBe("bad cursor");
        Should.Throw<TreeException>(() => c.CompareToValues(o, [new[] { 1 }, 0L, "a"])).Message.ShouldBe("bad cursor");
    }

    [Theory]
    [InlineData("lbls")]
    [InlineData("ph")]
    [InlineData("no way")]
    public void Constructor_UnsortableKey_Throws(string key) =>
        Should.Throw<TreeException>(() => new ObjectComparer([new SortKey(key)])).Code.ShouldBe(TreeErrorCode.InvalidFilter);
}
