using System.Text.Json;
using Grove.Cli.Remote;
using Grove.Client;
using Grove.Tree;

namespace Grove.Cli.Tests;

/// <summary>The client's wire object and the kernel's object carry the same facts, so remote output cannot drift from local.</summary>
public sealed class RemoteObjectsTests
{
    [Fact]
    public void ToTree_EveryWireKey_SurvivesTheRoundTrip()
    {
        var original = new TreeObject
        {
            Id = "0123456789abcdefghijklmnop",
            ParentId = "abcdefghijklmnop0123456789",
            Name = "report q1.pdf",
            Race = ObjectRace.File,
            Type = "pdf",
            Mime = "application/pdf",
            Length = 1234567,
            Sha256 = new string('a', 64),
            Link = "/elsewhere",
            Labels = ["final", "q1"],
            Creator = "alice",
            Modifier = "bob",
            Group = "finance",
            Mode = 0b110_100_000,
            Created = 1767225600000,
            Modified = 1767225601234,
            Expires = 1798761600000,
            Version = 7,
            Path = "/projects/report q1.pdf",
            Meta = new Dictionary<string, JsonElement>
            {
                ["year"] = JsonSerializer.SerializeToElement(2026),
                ["nested"] = JsonSerializer.SerializeToElement(new { a = new[] { 1, 2 } }),
            },
        };
        var wire = ObjectJson.ToJson(original);

        using var doc = JsonDocument.Parse(wire);
        var back = RemoteObjects.ToTree(GroveObject.FromJson(doc.RootElement));

        ObjectJson.ToJson(back).ShouldBe(wire);
        back.IsDir.ShouldBeFalse();
        GroveObject.BuiltInKeys.ShouldBe(TreeObject.BuiltInKeys, ignoreOrder: true);
    }

    [Fact]
    public void ToTree_MountedDirectory_KeepsRaceAndMount()
    {
        var dir = new TreeObject { Id = "0123456789abcdefghijklmnop", ParentId = "", Name = "", Race = ObjectRace.Dir, Mount = "mem", Mode = 0b111_101_101 };
        using var doc = JsonDocument.Parse(ObjectJson.ToJson(dir));

        var back = RemoteObjects.ToTree(GroveObject.FromJson(doc.RootElement));

        back.IsDir.ShouldBeTrue();
        back.IsRoot.ShouldBeTrue();
        back.Mount.ShouldBe("mem");
        ObjectJson.ToJson(back).ShouldBe(ObjectJson.ToJson(dir));
    }
}
