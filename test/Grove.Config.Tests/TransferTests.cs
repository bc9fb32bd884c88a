using System.IO.Compression;
using System.Text;

namespace Grove.Config.Tests;

public sealed class TransferTests : EngineTestBase
{
    private async Task<MemoryStream> ExportAsync(ExportOptions? options = null)
    {
        var zip = new MemoryStream();
        await Engine.ExportAsync(zip, options);
        zip.Position = 0;
        return zip;
    }

    private static MemoryStream Zip(params (string Name, string Content)[] entries)
    {
        var ms = new MemoryStream();
        using (var archive = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = archive.CreateEntry(name).Open();
                s.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        ms.Position = 0;
        return ms;
    }

    [Fact]
    public async Task Export_ThenImportIntoAnotherNamespace_RoundTripsContentAndMetadata()
    {
        await Engine.PublishAsync(new PublishRequest { Key = Key("a.yaml", "G1"), Content = "x: 1", Description = "desc", App = "shop", Tags = ["t1", "t2"] });
        await PublishAsync(Key("b.txt", "G2"), "plain");
        await PublishAsync(Key("cipher-c", "G2"), "hush-hush-42");
        await PublishAsync(Key("elsewhere", "G1", "other"), "not exported");

        using var zip = await ExportAsync();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true))
        {
            archive.Entries.Select(e => e.FullName).Order().ShouldBe([".metadata.yml", "G1/a.yaml", "G2/b.txt", "G2/cipher-c"]);
            using var secret = new StreamReader(archive.GetEntry("G2/cipher-c")!.Open());
            (await secret.ReadToEndAsync()).ShouldNotContain("hush-hush", Case.Sensitive, "secrets leave sealed");
        }

        zip.Position = 0;
        var result = await Engine.ImportAsync(zip, new ImportOptions { Tenant = "copy", Actor = Admin });

        result.Created.Count.ShouldBe(3);
        var a = Engine.Get(Key("a.yaml", "G1", "copy")).ShouldNotBeNull();
        (a.Content, a.Type, a.Description, a.App).ShouldBe(("x: 1", ConfigType.Yaml, "desc", "shop"));
        a.Tags.ShouldBe(["t1", "t2"]);
        (await Engine.ListHistoryAsync(a.Key)).Items.ShouldHaveSingleItem().Op.ShouldBe(ConfigOp.Import);
    }

    [Fact]
    public async Task Import_SealedSecretIntoTheSameNamespace_OpensWithTheMasterKey()
    {
        await PublishAsync(Key("cipher-s"), "secret-7");
        using var zip = await ExportAsync();
        await Engine.RemoveAsync(Key("cipher-s"));

        await Engine.ImportAsync(zip);

        var item = Engine.Get(Key("cipher-s")).ShouldNotBeNull();
        (item.Content, item.Secret).ShouldBe(("secret-7", true));
    }

    [Theory]
    [InlineData("../../evil")]
    [InlineData("..\\..\\evil")]
    [InlineData("DEFAULT_GROUP\\a.yaml")]
    [InlineData("g/../a.yaml")]
    public async Task ImportEntryName_Climbing_RefusedAndImportsNothing(string name)
    {
        using var zip = Zip(("DEFAULT_GROUP/ok.yaml", "a: 1"), (name, "evil: true"));

        var e = await Fails(ConfigErrorCode.InvalidArgument, () => Engine.ImportAsync(zip));

        e.Message.ShouldContain("nothing was imported");
        Engine.Get(Key("ok.yaml", "DEFAULT_GROUP")).ShouldBeNull("all or nothing");
    }

    [Fact]
    public async Task Import_AbortWithExistingConfig_ImportsNothing()
    {
        await PublishAsync(Key("exists"), "mine");
        using var zip = Zip(("G/exists", "theirs"), ("G/new", "fresh"));

        var e = await Fails(ConfigErrorCode.Conflict, () => Engine.ImportAsync(zip, new ImportOptions { Policy = ImportPolicy.Abort }));

        e.Message.ShouldContain("G/exists");
        Engine.Get(Key("exists"))!.Content.ShouldBe("mine");
        Engine.Get(Key("new")).ShouldBeNull();
    }

    [Fact]
    public async Task Import_Skip_KeepsExistingAndAddsTheRest()
    {
        await PublishAsync(Key("exists"), "mine");
        using var zip = Zip(("G/exists", "theirs"), ("G/new", "fresh"));

        var result = await Engine.ImportAsync(zip, new ImportOptions { Policy = ImportPolicy.Skip });

        result.Skipped.ShouldBe([Key("exists")]);
        result.Created.ShouldBe([Key("new")]);
        Engine.Get(Key("exists"))!.Content.ShouldBe("mine");
        Engine.Get(Key("new"))!.Content.ShouldBe("fresh");
    }

    [Fact]
    public async Task Import_Overwrite_ReplacesExisting()
    {
        await PublishAsync(Key("exists"), "mine");
        using var zip = Zip(("G/exists", "theirs"), ("G/new.json", "{}"));

        var result = await Engine.ImportAsync(zip, new ImportOptions { Policy = ImportPolicy.Overwrite });

        result.Updated.ShouldBe([Key("exists")]);
        Engine.Get(Key("exists"))!.Content.ShouldBe("theirs");
        Engine.Get(Key("new.json"))!.Type.ShouldBe(ConfigType.Json, "without metadata the type follows the extension");
    }

    [Theory]
    [InlineData("no-group", "x")]
    [InlineData("G/bad name", "x")]
    [InlineData("G/sub/deep", "x")]
    [InlineData("G/broken.json", "{")]
    public async Task Import_OneBadEntry_ImportsNothing(string name, string content)
    {
        using var zip = Zip(("G/good", "fine"), (name, content));

        var e = await Should.ThrowAsync<ConfigException>(() => Engine.ImportAsync(zip));

        e.Code.ShouldBeOneOf(ConfigErrorCode.InvalidArgument, ConfigErrorCode.InvalidFormat);
        Engine.Get(Key("good")).ShouldBeNull();
        Engine.Revision.ShouldBe(0);
    }

    [Fact]
    public async Task Import_NotAZip_OrAZipBomb_IsRefused()
    {
        await Fails(ConfigErrorCode.InvalidArgument, () => Engine.ImportAsync(new MemoryStream("not a zip"u8.ToArray())));

        await Engine.DisposeAsync();
        Engine = await OpenEngineAsync(Options with { MaxContentBytes = 1000 });
        using var bomb = Zip(("G/bomb", new string('0', 5_000_000)));
        var e = await Fails(ConfigErrorCode.TooLarge, () => Engine.ImportAsync(bomb));
        e.Limit.ShouldNotBeNull().ShouldBeLessThan(100_000);
    }
}
