namespace Grove.Messages.Tests;

public sealed class MappingTests
{
    [Fact]
    public void Parse_WaybillMapping_ReadsEveryPart()
    {
        var m = MessageMapping.Parse("acme", "waybill", MessageHarness.WaybillMapping, 7);
        m.Revision.ShouldBe(7);
        m.Fields.Count.ShouldBe(6);
        m.Field("status")!.Labels["2"].ShouldBe("已签收");
        m.Field("weight")!.Type.ShouldBe(FieldType.Decimal);
        m.Detail!.Fields.Select(f => f.Display).ShouldBe(["货号", "数量"]);
        m.Keys.ShouldBe(["waybillNo"]);
        m.Print.Sections.Single().Title.ShouldBe("基本信息");
        m.SourceIdPath.ShouldBe("header.msgId");
    }

    [Fact]
    public void Parse_Yaml_SameModelAsJson()
    {
        var m = MessageMapping.Parse("acme", "t", """
            format: json
            fields:
              - path: a.b
                name: ab
                display: 甲乙
                type: integer
                required: true
                default: 3
            """);
        m.Fields.Single().ShouldBe(new MappingField { Path = "a.b", Name = "ab", Display = "甲乙", Type = FieldType.Integer, Required = true, Default = "3", Labels = m.Fields[0].Labels });
        m.Print.Sections.Single().Fields.ShouldBe(["ab"]);
    }

    [Fact]
    public void Parse_BadMapping_EveryProblemNamesItsField()
    {
        var e = Should.Throw<MessageException>(() => MessageMapping.Parse("acme", "t", """
            {"format": "csv",
             "fields": [
               {"path": "a", "name": "a", "type": "dat"},
               {"path": "b", "name": "a"},
               {"name": "c"},
               {"path": "d", "name": "d", "type": "enum"},
               {"path": "e", "name": "e", "type": "integer", "default": "x"}],
             "keys": ["zz"],
             "detail": {"path": "rows", "fields": []},
             "print": {"sections": [{"title": "s", "fields": ["nope"]}], "columns": ["q"]}}
            """));
        e.Code.ShouldBe(MessageErrorCode.InvalidMapping);
        e.Errors.Select(x => x.Field).ShouldBe(
            ["format", "fields[0] (a).type", "fields[1] (a).name", "fields[2].path", "fields[3] (d).labels", "fields[4] (e).default", "detail.fields", "keys[0]", "print.sections[0].fields[0]", "print.columns[0]"],
            ignoreOrder: true);
    }

    [Fact]
    public void Parse_NoFields_RefusedAsReferencingNoField()
    {
        var e = Should.Throw<MessageException>(() => MessageMapping.Parse("acme", "t", """{"fields": []}"""));
        e.Errors.Single().Field.ShouldBe("fields");
        Should.Throw<MessageException>(() => MessageMapping.Parse("acme", "t", "fields: [")).Code.ShouldBe(MessageErrorCode.InvalidMapping);
    }
}
