using System.Text.Json;
using Grove.Cli.Output;
using Grove.Tree;

namespace Grove.Cli.Tests;

/// <summary>The formatting pieces: wire JSON, sizes, modes.</summary>
public sealed class OutputTests
{
    private static readonly TreeObject Sample = new()
    {
        Id = "0123456789abcdefghijklmnop",
        ParentId = "ponmlkjihgfedcba9876543210",
        Name = "report.pdf",
        Race = ObjectRace.File,
        Type = "pdf",
        Mime = "application/pdf",
        Length = 1234,
        Sha256 = new string('a', 64),
        Labels = ["red", "blue"],
        Creator = "ann",
        Mode = 0b110_100_100,
        Created = 1_700_000_000_000,
        Modified = 1_700_000_001_000,
        Expires = 1_800_000_000_000,
        Version = 7,
        Path = "/docs/report.pdf",
        Meta = new Dictionary<string, JsonElement>
        {
            ["rank"] = JsonSerializer.SerializeToElement(3),
            ["title"] = JsonSerializer.SerializeToElement("Ünïcode"),
        },
    };

    [Fact]
    public void ObjectJson_File_UsesShortKeysAndFlattensCustomKeys()
    {
        using var doc = JsonDocument.Parse(ObjectJson.ToJson(Sample));
        var e = doc.RootElement;
        e.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["id", "pid", "nm", "race", "tp", "mime", "len", "sha256", "lbls", "c", "md", "ct", "lm", "expi", "v", "ph", "rank", "title"]);
        e.GetProperty("race").GetString().ShouldBe("FILE");
        e.GetProperty("md").GetInt32().ShouldBe(420);
        e.GetProperty("rank").GetInt32().ShouldBe(3);
        ObjectJson.ToJson(Sample).ShouldContain("\"Ünïcode\"");
    }

    [Fact]
    public void ObjectJson_ReadOfWritten_GivesEqualValues()
    {
        using var doc = JsonDocument.Parse(ObjectJson.ToJson(Sample));
        var back = ObjectJson.Read(doc.RootElement);
        ObjectJson.ToJson(back).ShouldBe(ObjectJson.ToJson(Sample));
        back.Labels.ShouldBe(["red", "blue"]);
        back.Expires.ShouldBe(1_800_000_000_000);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(1_258_291, "1.2 MiB")]
    [InlineData(5L * 1024 * 1024 * 1024, "5.0 GiB")]
    public void HumanSize_Bytes_UsesBinaryUnits(long bytes, string expected) => HumanSize.Format(bytes).ShouldBe(expected);

    [Fact]
    public void ModeText_DirectoryAndFile_LooksLikeLs()
    {
        ModeText.Format(Sample).ShouldBe("-rw-r--r--");
        ModeText.Format(Sample with { Race = ObjectRace.Dir, Mode = 0b111_101_000 }).ShouldBe("drwxr-x---");
        ModeText.Octal(0b111_101_101).ShouldBe("755");
        ModeText.Octal(0b000_100_100).ShouldBe("044");
    }

    [Fact]
    public void ObjectTable_Directory_EndsWithSlashAndShowsNoSize()
    {
        var row = ObjectTable.Row(Sample with { Race = ObjectRace.Dir, Name = "docs" }, "docs");
        row.ShouldStartWith("drw-r--r--           -  ");
        row.ShouldEndWith("  docs/");
        ObjectTable.Row(Sample, "bad\nname").ShouldEndWith("  bad?name");
    }
}
