namespace Grove.Config.Tests;

public sealed class FormatTests : EngineTestBase
{
    [Theory]
    [InlineData(ConfigType.Json, "{\n  \"a\": 1,\n  \"b\": ]\n}", 3, 8)]
    [InlineData(ConfigType.Yaml, "a: 1\nb:\n  - x\n  y: [", 4, 3)]
    [InlineData(ConfigType.Xml, "<a>\n  <b></c>\n</a>", 2, 8)]
    [InlineData(ConfigType.Properties, "a=1\nb=\\u12G4\n", 2, 3)]
    public void Validate_Broken_ThrowsInvalidFormatWithLineAndColumn(ConfigType type, string content, int line, int column)
    {
        var e = FailsNow(ConfigErrorCode.InvalidFormat, () => ConfigFormats.Validate(type, content));
        (e.Line, e.Column).ShouldBe((line, column), e.Message);
        e.Message.ShouldContain($"line {line}, column {column}: ");

        // The parser's own 0-based or duplicated position is not repeated after the 1-based one.
        e.Message.ShouldNotContain("LineNumber");
        e.Message.ShouldNotContain("Idx:");
        e.Message.ShouldNotMatch(@"Line \d+, position \d+");
    }

    [Theory]
    [InlineData(ConfigType.Json, "{\"a\": [1, 2, {\"b\": null}]}")]
    [InlineData(ConfigType.Yaml, "a: 1\n---\nb: [x, y]\n")]
    [InlineData(ConfigType.Xml, "<?xml version=\"1.0\"?><a x=\"1\"><b/></a>")]
    [InlineData(ConfigType.Properties, "a=1\nb = two \\\n  continued\nc=\\u00e9\n# comment\n")]
    [InlineData(ConfigType.Text, "{ anything")]
    [InlineData(ConfigType.Html, "<p>unclosed")]
    public void Validate_WellFormed_Passes(ConfigType type, string content) =>
        Should.NotThrow(() => ConfigFormats.Validate(type, content));

    [Fact]
    public void Validate_XmlWithDtd_IsRefused()
    {
        var e = FailsNow(ConfigErrorCode.InvalidFormat, () => ConfigFormats.Validate(ConfigType.Xml, "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"));
        e.Line.ShouldBe(1);
    }

    [Fact]
    public async Task Publish_BrokenYaml_IsRefusedWithPositionAndNothingStored()
    {
        var key = Key("service.yml");
        var e = await Fails(ConfigErrorCode.InvalidFormat, () => PublishAsync(key, "a: [1, 2\nb: 3"));
        e.Line.ShouldNotBeNull();
        Engine.Get(key).ShouldBeNull();
        Engine.Revision.ShouldBe(0);
    }

    [Fact]
    public async Task Publish_TypeKeptFromCurrent_ValidatesAgainstIt()
    {
        var key = Key("settings");
        await PublishAsync(key, "{}", ConfigType.Json);
        await Fails(ConfigErrorCode.InvalidFormat, () => PublishAsync(key, "not json"));
        (await PublishAsync(key, "not json", ConfigType.Text)).Item.Type.ShouldBe(ConfigType.Text);
    }

    [Theory]
    [InlineData("json", ConfigType.Json)]
    [InlineData("YML", ConfigType.Yaml)]
    [InlineData(null, ConfigType.Text)]
    public void Types_Parse_KnownNames(string? name, ConfigType expected) => ConfigTypes.Parse(name).ShouldBe(expected);

    [Fact]
    public void Types_ParseUnknown_ThrowsInvalidArgument() =>
        FailsNow(ConfigErrorCode.InvalidArgument, () => ConfigTypes.Parse("toml")).Message.ShouldContain("toml");
}
