using System.Text.Json;
using Grove.Tree.Internal;
using Grove.Tree.Query;

namespace Grove.Tree.Tests.Query;

public sealed class FilterEvaluatorTests
{
    private static TreeObject Obj(string meta = "{}", string name = "n", ObjectRace race = ObjectRace.File, params string[] labels) => new()
    {
        Id = "id" + name,
        ParentId = "p",
        Name = name,
        Race = race,
        Labels = labels,
        Meta = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(meta)!,
    };

    private static bool Eval(string filterJson, TreeObject o) => FilterEvaluator.Compile(FilterParser.Parse(filterJson))(o);

    [Theory]
    [InlineData("""{"k":null}""", "{}", true)]
    [InlineData("""{"k":null}""", """{"k":null}""", true)]
    [InlineData("""{"k":null}""", """{"k":[1]}""", true)]
    [InlineData("""{"k":null}""", """{"k":0}""", false)]
    [InlineData("""{"k":{"$ne":null}}""", """{"k":0}""", true)]
    [InlineData("""{"k":{"$ne":null}}""", "{}", false)]
    [InlineData("""{"k":"!a"}""", "{}", true)]
    [InlineData("""{"k":"!a"}""", """{"k":"a"}""", false)]
    [InlineData("""{"k":"!a"}""", """{"k":1}""", true)]
    [InlineData("""{"k":{"$lt":5}}""", "{}", false)]
    [InlineData("""{"k":{"$gt":5}}""", """{"k":"9"}""", false)]
    [InlineData("""{"k":{"$gt":5}}""", """{"k":true}""", false)]
    [InlineData("""{"k":"5"}""", """{"k":5}""", false)]
    [InlineData("""{"k":1}""", """{"k":true}""", false)]
    [InlineData("""{"k":1}""", """{"k":1.0}""", true)]
    [InlineData("""{"k":{"$gte":1.5}}""", """{"k":2}""", true)]
    [InlineData("""{"k":9007199254740993}""", """{"k":9007199254740992.0}""", false)]
    [InlineData("""{"k":{"$gt":9007199254740992}}""", """{"k":9007199254740993}""", true)]
    [InlineData("""{"k":{"$gt":false}}""", """{"k":true}""", true)]
    [InlineData("""{"k":{"$lt":true}}""", """{"k":false}""", true)]
    [InlineData("""{"k":{"$gt":"\uFFFD"}}""", """{"k":"😀"}""", true)]
    [InlineData("""{"k":{"$gt":"Z"}}""", """{"k":"a"}""", true)]
    [InlineData("""{"k":"?"}""", """{"k":"😀"}""", true)]
    [InlineData("""{"k":"??"}""", """{"k":"😀"}""", false)]
    [InlineData("""{"k":"[x]*"}""", """{"k":"[x]yz"}""", true)]
    [InlineData("""{"k":"a*c"}""", """{"k":"abbc"}""", true)]
    [InlineData("""{"k":"a*c"}""", """{"k":"abbcd"}""", false)]
    [InlineData("""{"k":"ab*"}""", """{"k":"ab"}""", true)]
    [InlineData("""{"k":"ab*"}""", """{"k":7}""", false)]
    [InlineData("""{"k":"^\\d+$"}""", """{"k":"123"}""", true)]
    [InlineData("""{"k":"^\\d+$"}""", """{"k":123}""", false)]
    [InlineData("""{"k":"!^\\d+$"}""", "{}", true)]
    [InlineData("""{"k":"[1,3)"}""", """{"k":3}""", false)]
    [InlineData("""{"k":"[1,3)"}""", """{"k":2.99}""", true)]
    [InlineData("""{"k":[1,"a",null]}""", "{}", true)]
    [InlineData("""{"k":[1,"a"]}""", """{"k":"1"}""", false)]
    [InlineData("""{"k":{"$in":[]}}""", """{"k":1}""", false)]
    [InlineData("""{"k":{"$exists":true}}""", """{"k":{"a":1}}""", false)]
    [InlineData("""{"k":{"$exists":true}}""", """{"k":false}""", true)]
    public void Compile_MetaValue_FollowsNullAndKindRules(string filter, string meta, bool expected) =>
        Eval(filter, Obj(meta)).ShouldBe(expected);

    [Theory]
    [InlineData("""{"race":"DIR"}""", ObjectRace.Dir, true)]
    [InlineData("""{"race":"dir"}""", ObjectRace.File, false)]
    [InlineData("""{"race":1}""", ObjectRace.File, true)]
    [InlineData("""{"race":"D*"}""", ObjectRace.Dir, true)]
    [InlineData("""{"race":"^FI"}""", ObjectRace.File, true)]
    [InlineData("""{"race":{"$gt":"A"}}""", ObjectRace.File, false)]
    [InlineData("""{"race":{"$lt":1}}""", ObjectRace.Dir, true)]
    public void Compile_Race_MatchesNamesAndCodes(string filter, ObjectRace race, bool expected) =>
        Eval(filter, Obj(race: race)).ShouldBe(expected);

    [Theory]
    [InlineData("""{"lbls":"a"}""", true)]
    [InlineData("""{"lbls":["a","b"]}""", true)]
    [InlineData("""{"lbls":["a","c"]}""", false)]
    [InlineData("""{"lbls":"A"}""", false)]
    [InlineData("""{"lbls":[]}""", true)]
    [InlineData("""{"lbls":"!c"}""", true)]
    [InlineData("""{"lbls":null}""", false)]
    [InlineData("""{"lbls":{"$exists":true}}""", true)]
    public void Compile_Labels_RequiresAll(string filter, bool expected) =>
        Eval(filter, Obj(labels: ["a", "b"])).ShouldBe(expected);

    [Fact]
    public void Compile_NoLabels_MatchesNullAndNotExists()
    {
        Eval("""{"lbls":null}""", Obj()).ShouldBeTrue();
        Eval("""{"lbls":{"$exists":false}}""", Obj()).ShouldBeTrue();
        Eval("""{"lbls":"a"}""", Obj()).ShouldBeFalse();
    }

    [Fact]
    public void Compile_BuiltInColumns_UseTheirValues()
    {
        var o = Obj(name: "report.txt") with { Type = "txt", Length = 1500, Expires = null, Mode = 0x1ED };
        Eval("""{"nm":"*.txt","tp":"txt","len":"[1000,2000)","expi":null,"md":493}""", o).ShouldBeTrue();
        Eval("""{"len":"1500"}""", o).ShouldBeFalse();
        Eval("""{"len":{"$ne":"1500"}}""", o).ShouldBeTrue();
        Eval("""{"expi":{"$lt":5}}""", o).ShouldBeFalse();
    }

    [Fact]
    public void Get_IntegerMeta_StaysLong() =>
        Obj("""{"k":9007199254740993}""").Get("k").ShouldBe(9007199254740993L);

    [Fact]
    public void Compile_NullFilter_MatchesEverything() => FilterEvaluator.Compile(null)(Obj()).ShouldBeTrue();

    [Theory]
    [MemberData(nameof(BadFilters))]
    public void Compile_InvalidFilter_Throws(Filter f) =>
        Should.Throw<TreeException>(() => FilterEvaluator.Compile(f)).Code.ShouldBe(TreeErrorCode.InvalidFilter);

    public static TheoryData<Filter> BadFilters => new(
        Filter.Eq("bad key", 1),
        Filter.Eq("ph", "/"),
        Filter.Eq("k", new object()),
        Filter.Eq("k", double.NaN),
        Filter.Eq("lbls", "a"),
        Filter.In("lbls", "a"),
        new MatchFilter("k", MatchKind.Regex, "(a"),
        new MatchFilter("lbls", MatchKind.Prefix, "a"),
        Filter.And(Filter.Eq("nm", "a"), new CompareFilter("k", CompareOp.Lt, new[] { 1 })));
}
