using Grove.Tree.Query;

namespace Grove.Tree.Tests.Query;

public sealed class FilterParserTests
{
    [Theory]
    [InlineData("""{"nm":"abc"}""", "eq(nm,'abc')")]
    [InlineData("""{"nm":"^a.*"}""", "regex(nm,^a.*)")]
    [InlineData("""{"nm":"!abc"}""", "ne(nm,'abc')")]
    [InlineData("""{"nm":"!"}""", "ne(nm,'')")]
    [InlineData("""{"nm":"!^a.*"}""", "not(regex(nm,^a.*))")]
    [InlineData("""{"len":"![10,20]"}""", "not(and(ge(len,10),le(len,20)))")]
    [InlineData("""{"nm":"a*b"}""", "wildcard(nm,a*b)")]
    [InlineData("""{"nm":"a?"}""", "wildcard(nm,a?)")]
    [InlineData("""{"nm":"a*b*"}""", "wildcard(nm,a*b*)")]
    [InlineData("""{"nm":"*a"}""", "wildcard(nm,*a)")]
    [InlineData("""{"nm":"ab*"}""", "prefix(nm,ab)")]
    [InlineData("""{"nm":"*"}""", "prefix(nm,)")]
    [InlineData("""{"nm":"!ab*"}""", "not(prefix(nm,ab))")]
    [InlineData("""{"nm":"\\^abc"}""", "eq(nm,'^abc')")]
    [InlineData("""{"nm":"\\!a*"}""", "eq(nm,'!a*')")]
    [InlineData("""{"nm":"\\[1,2]"}""", "eq(nm,'[1,2]')")]
    [InlineData("""{"nm":"(draft)"}""", "eq(nm,'(draft)')")]
    [InlineData("""{"len":"[10,100)"}""", "and(ge(len,10),lt(len,100))")]
    [InlineData("""{"len":"(,5]"}""", "and(le(len,5))")]
    [InlineData("""{"len":"(5,)"}""", "and(gt(len,5))")]
    [InlineData("""{"n":"[ -1.5 , 2.5 ]"}""", "and(ge(n,-1.5d),le(n,2.5d))")]
    [InlineData("""{"ct":"[2024-01-01,2024-02-01)"}""", "and(ge(ct,1704067200000),lt(ct,1706745600000))")]
    [InlineData("""{"ct":"(2024-01-01T01:00:00+01:00,]"}""", "and(gt(ct,1704067200000))")]
    [InlineData("""{"ct":"[2024-01-01T00:00:00.250Z,)"}""", "and(ge(ct,1704067200250))")]
    [InlineData("""{"ct":"[2024-01-01T00:00:00,)"}""", "and(ge(ct,1704067200000))")]
    [InlineData("""{"tp":["txt","md",null,1]}""", "in(tp,['txt','md',null,1])")]
    [InlineData("""{"expi":null}""", "eq(expi,null)")]
    [InlineData("""{"len":42}""", "eq(len,42)")]
    [InlineData("""{"n":4.5}""", "eq(n,4.5d)")]
    [InlineData("""{"n":1.0}""", "eq(n,1d)")]
    [InlineData("""{"flag":true}""", "eq(flag,true)")]
    [InlineData("""{"race":"DIR"}""", "eq(race,0)")]
    [InlineData("""{"race":"file"}""", "eq(race,1)")]
    [InlineData("""{"race":"!Dir"}""", "ne(race,0)")]
    [InlineData("""{"race":["dir","x"]}""", "in(race,[0,'x'])")]
    [InlineData("""{"lbls":"red"}""", "labels(red)")]
    [InlineData("""{"lbls":["red","blue"]}""", "labels(red,blue)")]
    [InlineData("""{"lbls":"!red"}""", "not(labels(red))")]
    [InlineData("""{"lbls":"\\!red"}""", "labels(!red)")]
    [InlineData("""{"lbls":null}""", "eq(lbls,null)")]
    [InlineData("""{"lbls":{"$exists":true}}""", "exists(lbls,true)")]
    [InlineData("""{"lbls":{"$all":["a","b"]}}""", "labels(a,b)")]
    [InlineData("""{"my-key_2":"x"}""", "eq(my-key_2,'x')")]
    public void Parse_ValueForm_GivesFilter(string json, string expected) =>
        FilterText.Of(FilterParser.Parse(json)).ShouldBe(expected);

    [Theory]
    [InlineData("""{"n":{"$gt":5,"$lte":9}}""", "and(gt(n,5),le(n,9))")]
    [InlineData("""{"n":{"$gte":1.5}}""", "ge(n,1.5d)")]
    [InlineData("""{"n":{"$lt":"b"}}""", "lt(n,'b')")]
    [InlineData("""{"nm":{"$eq":"^a*"}}""", "eq(nm,'^a*')")]
    [InlineData("""{"nm":{"$ne":null}}""", "ne(nm,null)")]
    [InlineData("""{"nm":{"$in":["a",null]}}""", "in(nm,['a',null])")]
    [InlineData("""{"nm":{"$nin":["a"]}}""", "not(in(nm,['a']))")]
    [InlineData("""{"tp":{"$exists":false}}""", "exists(tp,false)")]
    [InlineData("""{"nm":{"$regex":"b+"}}""", "regex(nm,b+)")]
    [InlineData("""{"nm":{"$prefix":"a*"}}""", "prefix(nm,a*)")]
    [InlineData("""{"nm":{"$glob":"a?"}}""", "wildcard(nm,a?)")]
    [InlineData("""{"race":{"$ne":"FILE"}}""", "ne(race,1)")]
    public void Parse_OperatorObject_GivesFilter(string json, string expected) =>
        FilterText.Of(FilterParser.Parse(json)).ShouldBe(expected);

    [Theory]
    [InlineData("""{}""", "and()")]
    [InlineData("""[]""", "or()")]
    [InlineData("""{"nm":"a","len":1}""", "and(eq(nm,'a'),eq(len,1))")]
    [InlineData("""[{"nm":"a"},{"len":1}]""", "or(eq(nm,'a'),eq(len,1))")]
    [InlineData("""[[{"nm":"a"}],{"nm":"b","len":1}]""", "or(or(eq(nm,'a')),and(eq(nm,'b'),eq(len,1)))")]
    [InlineData("""{"%or":[{"nm":"a"},{"nm":"b"}],"len":1}""", "and(or(eq(nm,'a'),eq(nm,'b')),eq(len,1))")]
    [InlineData("""{"%and":[[{"tp":"a"},{"tp":"b"}],{"%or":[{"len":1}]}]}""", "and(or(eq(tp,'a'),eq(tp,'b')),or(eq(len,1)))")]
    public void Parse_Structure_CombinesWithAndOr(string json, string expected) =>
        FilterText.Of(FilterParser.Parse(json)).ShouldBe(expected);

    [Theory]
    [InlineData("""not json""", "not valid JSON")]
    [InlineData("""{"nm":"a",}""", "not valid JSON")]
    [InlineData("\"nm\"", "must be a JSON object or array")]
    [InlineData("""[1]""", "must be objects or arrays")]
    [InlineData("""{"nm":"^(a"}""", "'nm': bad regular expression")]
    [InlineData("""{"nm":"^(a)\\1"}""", "'nm': regular expression")]
    [InlineData("""{"nm":{"$regex":"(?<=a)b"}}""", "'nm': regular expression")]
    [InlineData("""{"len":"[a,b]"}""", "'len': bad range '[a,b]'")]
    [InlineData("""{"len":"[1,2,3]"}""", "'len': bad range")]
    [InlineData("""{"len":"[,]"}""", "at least one bound")]
    [InlineData("""{"ct":"[2024-13-01,)"}""", "'ct': bad range")]
    [InlineData("""{"1abc":1}""", "'1abc': a custom key must match")]
    [InlineData("""{"a.b":1}""", "'a.b'")]
    [InlineData("""{"":1}""", "''")]
    [InlineData("""{"ph":"/a"}""", "'ph': this built-in key cannot be queried")]
    [InlineData("""{"nm":{"$foo":1}}""", "'nm': unknown operator '$foo'")]
    [InlineData("""{"nm":{}}""", "'nm': an operator object needs")]
    [InlineData("""{"len":{"$gt":null}}""", "'len': $gt cannot compare with null")]
    [InlineData("""{"len":{"$in":5}}""", "'len': $in needs an array")]
    [InlineData("""{"len":{"$exists":"yes"}}""", "'len': $exists needs true or false")]
    [InlineData("""{"nm":{"$regex":5}}""", "'nm': $regex needs a string")]
    [InlineData("""{"%not":{}}""", "'%not': unknown combinator")]
    [InlineData("""{"%and":{}}""", "'%and': needs an array")]
    [InlineData("""{"%or":[1]}""", "must be objects or arrays")]
    [InlineData("""{"lbls":5}""", "'lbls': expected a label")]
    [InlineData("""{"lbls":["a",1]}""", "'lbls': labels must be strings")]
    [InlineData("""{"lbls":{"$gt":"a"}}""", "'lbls': labels take only")]
    [InlineData("""{"tp":[["a"]]}""", "'tp': expected a string, number, boolean or null")]
    [InlineData("""{"tp":[{"a":1}]}""", "'tp': expected a string")]
    [InlineData("""{"len":1e400}""", "'len': number 1e400 is out of range")]
    public void Parse_Malformed_ThrowsInvalidFilterNamingTheProblem(string json, string message)
    {
        var e = Should.Throw<TreeException>(() => FilterParser.Parse(json));
        e.Code.ShouldBe(TreeErrorCode.InvalidFilter);
        e.Message.ShouldContain(message);
    }

    [Fact]
    public void Parse_CustomKeyOf64Chars_IsAcceptedAnd65Rejected()
    {
        var ok = "k" + new string('x', 63);
        FilterText.Of(FilterParser.Parse($$"""{"{{ok}}":1}""")).ShouldBe($"eq({ok},1)");
        Should.Throw<TreeException>(() => FilterParser.Parse($$"""{"{{ok}}x":1}""")).Code.ShouldBe(TreeErrorCode.InvalidFilter);
    }

    [Fact]
    public void Parse_JsonElement_SameAsText()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""{"nm":"a*","len":"[1,2]"}""");
        FilterText.Of(FilterParser.Parse(doc.RootElement)).ShouldBe(FilterText.Of(FilterParser.Parse(doc.RootElement.GetRawText())));
    }
}
