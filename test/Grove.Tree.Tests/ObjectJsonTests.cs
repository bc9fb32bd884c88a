using System.Text;
using System.Text.Json;

namespace Grove.Tree.Tests;

public sealed class ObjectJsonTests
{
    private static readonly TreeObject Full = new()
    {
        Id = "01HZX", ParentId = "01HZP", Name = "名字 \"q\".txt", Race = ObjectRace.File, Type = "txt", Mime = "text/plain",
        Length = 42, Sha256 = new string('a', 64), Link = "/x", Labels = ["red", "蓝"], Creator = "ann", Modifier = "bob",
        Group = "g", Mode = 0b111_101_000, Created = 1, Modified = 2, Expires = 3, Version = 7, Path = "/d/f",
        Meta = new Dictionary<string, JsonElement>
        {
            ["n"] = JsonSerializer.SerializeToElement(5),
            ["s"] = JsonSerializer.SerializeToElement("t\u00e9\n"),
            ["o"] = JsonSerializer.SerializeToElement(new { a = new[] { 1, 2 }, b = (string?)null }),
            ["k\"ey"] = JsonSerializer.SerializeToElement(true),
            ["nil"] = JsonSerializer.SerializeToElement<object?>(null),
        },
    };

    [Fact]
    public void ReadUtf8_FullObject_MatchesDocumentReader()
    {
        var json = ObjectJson.ToJson(Full);
        using var doc = JsonDocument.Parse(json);
        var expected = ObjectJson.Read(doc.RootElement);

        var actual = ObjectJson.Read(Encoding.UTF8.GetBytes(json));

        ObjectJson.ToJson(actual).ShouldBe(ObjectJson.ToJson(expected));
        actual.Labels.ShouldBe(["red", "蓝"]);
        actual.Meta.Keys.OrderBy(k => k, StringComparer.Ordinal).ShouldBe(["k\"ey", "n", "nil", "o", "s"]);
        actual.Meta["s"].GetString().ShouldBe("t\u00e9\n");
    }

    [Fact]
    public void ReadUtf8_EscapedBuiltInKeyAndUnknownBuiltIns_ReadLikeDocumentReader()
    {
        const string json = """{"\u0069d":"x","pid":"p","nm":"n","race":"DIR","bk":"lbm:a","len":"not a number","lbls":null,"extra":[{"a":1}],"md":493,"v":2}""";
        using var doc = JsonDocument.Parse(json);
        var expected = ObjectJson.Read(doc.RootElement);

        var actual = ObjectJson.Read(Encoding.UTF8.GetBytes(json));

        ObjectJson.ToJson(actual).ShouldBe(ObjectJson.ToJson(expected));
        actual.Id.ShouldBe("x");
        actual.IsDir.ShouldBeTrue();
        actual.Labels.ShouldBeEmpty();
        actual.Meta.Keys.ShouldBe(["extra"]);
    }
}
