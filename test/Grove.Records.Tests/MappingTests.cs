using Grove.Records;

namespace Grove.Records.Tests;

public sealed class MappingTests
{
    [Fact]
    public void Parse_SeedFormatWithCommentsAndHistory_ReadsEveryAttribute()
    {
        var m = RecordMapping.Parse(Harness.NewsWithHistory(100, 1000, 3));
        m.TableName.ShouldBe("t_news");
        m.AutoCreate.ShouldBeTrue();
        m.Fields.Count.ShouldBe(6);
        m.Field("title")!.ColumnName.ShouldBe("title_text");
        m.Field("author")!.DefaultValue.ShouldBe("by-${title}");
        m.Field("ver")!.IsVersion.ShouldBeTrue();
        m.Field("tags")!.Type.ShouldBe(RecordFieldType.SArray);
        m.Field("id")!.CaseSensitive.ShouldBeTrue();
        m.Pks.ShouldBe(["id"]);
        m.ObjKeys["nm"].ShouldBe("title");
        m.Indexes.Single().Fields.ShouldBe(["title"]);
        m.History.ShouldBe(new HistoryPolicy { CutField = "ct", MainRows = 100, TableRows = 1000, Keep = 3 });
        RecordMapping.Parse(m.ToJson()).ShouldBeEquivalentTo(m);
    }

    [Fact]
    public void Parse_DynamicTableName_NeedsKeyPlaceholder()
    {
        RecordMapping.Parse("""{"tableName":"t_abc_${id}","fields":[{"name":"id"}],"pks":["id"]}""").TableName.ShouldBe("t_abc_${id}");
        Refused("""{"tableName":"t_abc_${nm}","fields":[{"name":"id"},{"name":"nm"}],"pks":["id"]}""", "tableName");
    }

    [Theory]
    [InlineData("""{"tableName":"t","fields":[{"name":"id","type":"Str"}],"pks":["id"]}""", "id", "unknown type")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id"}]}""", "pks", "primary key")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id"}],"pks":["nope"]}""", "nope", "unknown field")]
    [InlineData("""{"tableName":"t; DROP TABLE x","fields":[{"name":"id"}],"pks":["id"]}""", "tableName", "identifier")]
    [InlineData("""{"tableName":"t","fields":[{"name":"my field"}],"pks":["my field"]}""", "my field", "identifier")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id","columnName":"a\"b"}],"pks":["id"]}""", "id", "identifier")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id"},{"name":"id"}],"pks":["id"]}""", "id", "twice")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id"}],"pks":["id"],"objKeys":{"nm":"title"}}""", "title", "objKeys.nm")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id"}],"pks":["id"],"indexes":[{"name":"i","fields":["zz"]}]}""", "zz", "index")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id","customDbType":"TEXT); DROP TABLE x; --"}],"pks":["id"]}""", "id", "customDbType")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id"},{"name":"c"}],"pks":["id"],"history":{"cutField":"c"}}""", "c", "notNull")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id","type":"Bytes"}],"pks":["id"]}""", "id", "Bytes")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id"},{"name":"b","type":"Bytes"}],"pks":["id"],"indexes":[{"name":"i","fields":["b"]}]}""", "b", "not indexed")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id"},{"name":"v","type":"String","isVersion":true}],"pks":["id"]}""", "v", "version")]
    [InlineData("""{"tableName":"t","fields":[{"name":"id"}],"pks":["id"],"history":{"cutField":"id","keep":0}}""", "history", "at least 1")]
    public void Parse_BadMapping_InvalidMappingNamingTheField(string json, string field, string says)
    {
        var e = Refused(json, field);
        e.Message.ShouldContain(says);
    }

    [Fact]
    public void Parse_NotJson_InvalidMapping()
    {
        Should.Throw<RecordsException>(() => RecordMapping.Parse("{nope")).Code.ShouldBe(RecordsErrorCode.InvalidMapping);
    }

    private static RecordsException Refused(string json, string field)
    {
        var e = Should.Throw<RecordsException>(() => RecordMapping.Parse(json));
        e.Code.ShouldBe(RecordsErrorCode.InvalidMapping);
        e.Status.ShouldBe(400);
        e.Field.ShouldBe(field);
        e.Extensions["field"].ShouldBe(field);
        return e;
    }
}
