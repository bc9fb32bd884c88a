using System.Text;

namespace Grove.Config.Tests;

public sealed class SecretTests : EngineTestBase
{
    private const string Plain = "db.password=Sup3r-S3cret-Value-4711";

    /// <summary>Every file under the data folder (index, WAL, dump, key file; not the lock holding a pid), searched byte by byte.</summary>
    private List<string> FilesHolding(string text)
    {
        // Note that the dump is written behind a publish: a file being written then is held open (CI once failed reading
        // one in config-dump.tmp); a flush returns once every write, the background loop's included, is on disk.
        Engine.FlushDump();
        var needle = Encoding.UTF8.GetBytes(text);
        return Directory.EnumerateFiles(DataPath, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "grove.lock" && File.ReadAllBytes(f).AsSpan().IndexOf(needle) >= 0)
            .ToList();
    }

    [Fact]
    public async Task CipherPrefix_IsServedPlainButStoredAndDumpedSealed()
    {
        var key = Key("cipher-db.properties");
        var item = (await PublishAsync(key, Plain)).Item;
        await PublishAsync(key, Plain + "\nmore=1");
        await Engine.PublishBetaAsync(new BetaRequest { Key = key, Content = Plain + "\nbeta=1", Ips = ["10.0.0.1"] });
        await Engine.DumpAllAsync();

        item.Secret.ShouldBeTrue();
        item.Content.ShouldBe(Plain);
        item.Md5.ShouldBe(Md5(Plain), "clients compare the MD5 of what they get");
        Engine.Get(key, new ConfigClient("10.0.0.1"))!.Content.ShouldEndWith("beta=1");

        FilesHolding("Sup3r-S3cret").ShouldBeEmpty("no file under the data folder holds the secret in plain text");
        FilesHolding(Md5(Plain)).ShouldBeEmpty("not even its MD5 (a guessable secret's hash is as good as the secret)");
        var row = await Tree.ReadAllBytesAsync("/sys/config/items/@default/G/cipher-db.properties");
        Encoding.UTF8.GetString(row).ShouldNotContain("Sup3r");
        File.Exists(Path.Combine(Engine.DumpFolder, "@default", "G", "cipher-db.properties")).ShouldBeTrue();
        (await Engine.GetHistoryAsync(item.Revision))!.Content.ShouldBe(Plain, "history decrypts for those allowed to read it");
    }

    [Fact]
    public async Task SecretFlag_SealsAnyDataId_AndStaysOnUpdate()
    {
        var key = Key("plain-name.yaml");
        await PublishAsync(key, "token: Tok-9f8e7d6c5b", secret: true);
        await PublishAsync(key, "token: Tok-0a1b2c3d4e");

        Engine.Get(key)!.Secret.ShouldBeTrue("an update without the flag keeps it");
        FilesHolding("Tok-").ShouldBeEmpty();
    }

    [Fact]
    public async Task Secret_SurvivesRestartWithTheKeyFile()
    {
        var data = Folder.Combine("own-key");
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = data, Time = Clock });
        var options = Options with { MasterKey = null, DataPath = data };
        Engine = await OpenEngineAsync(options, tree);
        await PublishAsync(Key("cipher-x"), "hidden-abcdef");
        await Engine.DisposeAsync();

        var keyFile = Path.Combine(data, "config-master.key");
        File.Exists(keyFile).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(keyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Engine = await OpenEngineAsync(options, tree);
        Engine.Get(Key("cipher-x"))!.Content.ShouldBe("hidden-abcdef");
        await Engine.DisposeAsync();
    }

    [Fact]
    public async Task Open_WithAnotherMasterKey_RefusedNamingBothKeyIds()
    {
        var key = Key("cipher-y");
        await PublishAsync(key, "v");
        await Engine.DisposeAsync();

        var other = new byte[32];
        Array.Fill(other, (byte)9);
        var e = await Should.ThrowAsync<ConfigException>(() => OpenEngineAsync(Options with { MasterKey = other }));

        e.Code.ShouldBe(ConfigErrorCode.MasterKeyMismatch);
        e.Message.ShouldContain(new Internal.SecretBox(other).KeyId);
        e.Message.ShouldContain(new Internal.SecretBox(MasterKey).KeyId);
        Engine = await OpenEngineAsync();
        Engine.Get(key)!.Content.ShouldBe("v", "the right key still opens the store");
    }

    [Fact]
    public async Task Open_WithMasterKeyFileSetting_UsesThatFileAndNeverCreatesIt()
    {
        await Engine.DisposeAsync();
        var file = Folder.Combine("shared.key");
        var e = await Should.ThrowAsync<ConfigException>(() => OpenEngineAsync(Options with { MasterKey = null, MasterKeyFile = file }));
        e.Code.ShouldBe(ConfigErrorCode.InvalidArgument);
        File.Exists(file).ShouldBeFalse();

        await File.WriteAllTextAsync(file, Convert.ToBase64String(MasterKey));
        Engine = await OpenEngineAsync(Options with { MasterKey = null, MasterKeyFile = file });
        var published = await PublishAsync(Key("cipher-z"), "secret-value", secret: true);
        Engine.Get(published.Item.Key)!.Content.ShouldBe("secret-value");
    }
}
