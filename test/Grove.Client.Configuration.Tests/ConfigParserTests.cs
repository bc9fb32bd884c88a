using Grove.Client.Configuration.Internal;

namespace Grove.Client.Configuration.Tests;

/// <summary>Config content as configuration keys, per type.</summary>
public sealed class ConfigParserTests
{
    private static readonly GroveConfigSelection Root = new() { Group = "G", DataId = "app" };

    [Fact]
    public void Json_NestsObjectsAndIndexesArrays()
    {
        var data = ConfigParser.Parse("json", """{"Db":{"Url":"x","Pool":5,"On":true},"Hosts":["a","b"],"Empty":{},"Null":null}""", Root, true);
        data["Db:Url"].ShouldBe("x");
        data["db:pool"].ShouldBe("5", "keys ignore case");
        data["Db:On"].ShouldBe("true");
        data["Hosts:1"].ShouldBe("b");
        data.ShouldContainKey("Empty");
        data["Null"].ShouldBeNull();
    }

    [Fact]
    public void Yaml_EveryDocument_MappingsAndSequences()
    {
        var data = ConfigParser.Parse("yaml", "db:\n  url: x\n  ports: [1, 2]\nname: ~\n---\nextra: yes\n", Root, true);
        data["db:url"].ShouldBe("x");
        data["db:ports:1"].ShouldBe("2");
        data["name"].ShouldBeNull();
        data["extra"].ShouldBe("yes");
    }

    [Fact]
    public void Properties_DotsBecomeSections_EscapesAndContinuations()
    {
        var data = ConfigParser.Parse("properties", "# comment\n! also\nserver.port = 8080\ngreeting: h\\u00e9llo\\tthere\nlong=one \\\n    two\nkey\\ with\\ spaces=v\n", Root, true);
        data["server:port"].ShouldBe("8080");
        data["greeting"].ShouldBe("héllo\tthere");
        data["long"].ShouldBe("one two");
        data["key with spaces"].ShouldBe("v");
        ConfigParser.Parse("properties", "a.b=1", Root, false).ShouldContainKey("a.b");
        Should.Throw<FormatException>(() => ConfigParser.Parse("properties", "bad=\\u12", Root, true)).Message.ShouldContain("line 1");
    }

    [Fact]
    public void Xml_ChildrenAttributesAndRepeatedElements()
    {
        var data = ConfigParser.Parse("xml", "<config><db url=\"x\"><pool>5</pool></db><host>a</host><host>b</host></config>", Root, true);
        data["db:url"].ShouldBe("x");
        data["db:pool"].ShouldBe("5");
        data["host:0"].ShouldBe("a");
        data["host:1"].ShouldBe("b");
        Should.Throw<FormatException>(() => ConfigParser.Parse("xml", "<!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>", Root, true));
    }

    [Fact]
    public void Section_PrefixesKeys_AndTextIsOneKey()
    {
        var shop = Root with { Section = "Shop" };
        ConfigParser.Parse("json", """{"Name":"g"}""", shop, true)["Shop:Name"].ShouldBe("g");
        ConfigParser.Parse("text", "hello", Root, true)["app"].ShouldBe("hello");
        ConfigParser.Parse("text", "hello", shop, true)["Shop"].ShouldBe("hello");
    }

    [Fact]
    public void BadJson_IsAFormatErrorSayingWhere()
    {
        Should.Throw<FormatException>(() => ConfigParser.Parse("json", "{\n\"a\": }", Root, true)).Message.ShouldContain("line 2");
    }
}
