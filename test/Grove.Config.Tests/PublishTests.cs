namespace Grove.Config.Tests;

public sealed class PublishTests : EngineTestBase
{
    [Fact]
    public async Task Publish_ThenGet_ReturnsContentWithNacosMd5AndMetadata()
    {
        var key = Key("app.properties", "DEFAULT_GROUP");
        var result = await Engine.PublishAsync(new PublishRequest
        {
            Key = key,
            Content = "greeting=héllo 配置\n",
            Description = "the app",
            Tags = ["a", "b"],
            App = "shop",
            Actor = Admin,
            ClientIp = "10.1.2.3",
        });

        result.Created.ShouldBeTrue();
        var item = Engine.Get(key).ShouldNotBeNull();
        item.Content.ShouldBe("greeting=héllo 配置\n");
        item.Md5.ShouldBe(Md5("greeting=héllo 配置\n"));
        item.Type.ShouldBe(ConfigType.Properties, "the type follows the dataId's extension when none is given");
        item.Description.ShouldBe("the app");
        item.Tags.ShouldBe(["a", "b"]);
        item.App.ShouldBe("shop");
        item.CreatedBy.ShouldBe("admin");
        item.ModifiedFromIp.ShouldBe("10.1.2.3");
        item.ModifiedAt.ShouldBe(Clock.GetUtcNow());
        Engine.GetMd5(key).ShouldBe(item.Md5);
    }

    [Fact]
    public void Md5_OfKnownText_IsTheHexOfUtf8AsNacosComputesIt()
    {
        // Note that Nacos's MD5Utils.md5Hex(content, "UTF-8") of "hello" is this value.
        Internal.Md5Hex.Of("hello"u8).ShouldBe("5d41402abc4b2a76b9719d911017c592");
    }

    [Fact]
    public async Task Publish_Update_KeepsCreatedAndRaisesRevision()
    {
        var key = Key("a.json");
        var first = await PublishAsync(key, "{\"v\":1}");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await PublishAsync(key, "{\"v\":2}");

        second.Created.ShouldBeFalse();
        second.Item.Revision.ShouldBeGreaterThan(first.Item.Revision);
        second.Item.CreatedAt.ShouldBe(first.Item.CreatedAt);
        second.Item.ModifiedAt.ShouldBe(first.Item.ModifiedAt + TimeSpan.FromMinutes(1));
        Engine.Get(key)!.Content.ShouldBe("{\"v\":2}");
    }

    [Fact]
    public async Task Revisions_AcrossKeysAndRemovals_OnlyGrow()
    {
        var seen = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            seen.Add((await PublishAsync(Key($"k{i % 2}"), $"v{i}")).Item.Revision);
        }

        await Engine.RemoveAsync(Key("k0"), Admin);
        seen.Add(Engine.Revision);
        seen.Add((await PublishAsync(Key("k0"), "again")).Item.Revision);

        seen.ShouldBe(seen.Order().Distinct().ToList(), "strictly increasing");
    }

    [Fact]
    public async Task Remove_ExistingAndMissing_ReturnsTrueThenFalseAndForgets()
    {
        var key = Key("gone");
        await PublishAsync(key, "x");

        (await Engine.RemoveAsync(key, Admin)).ShouldBeTrue();
        Engine.Get(key).ShouldBeNull();
        Engine.GetMd5(key).ShouldBeNull();
        (await Engine.RemoveAsync(key, Admin)).ShouldBeFalse();
        (await Tree.FindAsync("/sys/config/items/@default/G/gone")).ShouldBeNull();
    }

    [Fact]
    public async Task Publish_CreateOnlyExisting_ThrowsConflict_UpdateOnlyMissing_ThrowsNotFound()
    {
        var key = Key("modes");
        await PublishAsync(key, "1");

        await Fails(ConfigErrorCode.Conflict, () => Engine.PublishAsync(new PublishRequest { Key = key, Content = "2", Mode = PublishMode.CreateOnly }));
        await Fails(ConfigErrorCode.NotFound, () => Engine.PublishAsync(new PublishRequest { Key = Key("nope"), Content = "2", Mode = PublishMode.UpdateOnly }));
        Engine.Get(key)!.Content.ShouldBe("1");
        Engine.Get(Key("nope")).ShouldBeNull();
    }

    [Fact]
    public async Task Publish_IfMd5Stale_ThrowsConflictAndKeepsContent()
    {
        var key = Key("cas");
        var v1 = await PublishAsync(key, "v1");
        await PublishAsync(key, "v2");

        await Fails(ConfigErrorCode.Conflict, () => Engine.PublishAsync(new PublishRequest { Key = key, Content = "v3", IfMd5 = v1.Item.Md5 }));
        (await Engine.PublishAsync(new PublishRequest { Key = key, Content = "v3", IfMd5 = Md5("v2") })).Item.Content.ShouldBe("v3");
    }

    [Fact]
    public async Task Publish_OverTheLimit_ThrowsTooLargeWithTheLimitAndStoresNothing()
    {
        await Engine.DisposeAsync();
        Engine = await OpenEngineAsync(Options with { MaxContentBytes = 1000 });
        var key = Key("big");

        var e = await Fails(ConfigErrorCode.TooLarge, () => PublishAsync(key, new string('x', 1001)));
        e.Limit.ShouldBe(1000);
        e.Message.ShouldContain("1000");
        Engine.Get(key).ShouldBeNull();
        (await PublishAsync(key, new string('é', 500))).Item.Utf8.Length.ShouldBe(1000, "the limit counts UTF-8 bytes");
    }

    [Theory]
    [InlineData("has space", "G")]
    [InlineData("a/b", "G")]
    [InlineData("..", "G")]
    [InlineData(".", "G")]
    [InlineData("ok", "../x")]
    [InlineData("", "G")]
    [InlineData("ok", "")]
    [InlineData("ok", "G\u0000")]
    public void Key_WithBadPart_ThrowsInvalidArgument(string dataId, string group)
    {
        var e = FailsNow(ConfigErrorCode.InvalidArgument, () => ConfigKey.Create(dataId, group));
        e.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Key_Of256Allowed_257Refused_TenantRuledTheSame()
    {
        ConfigKey.Create(new string('a', 256), "G").DataId.Length.ShouldBe(256);
        FailsNow(ConfigErrorCode.InvalidArgument, () => ConfigKey.Create(new string('a', 257), "G")).Message.ShouldContain("256");
        FailsNow(ConfigErrorCode.InvalidArgument, () => ConfigKey.Create("d", "G", "..")).Message.ShouldContain("tenant");
        ConfigKey.Create("d.x:y-z_1", "G", "ns-1").ToString().ShouldBe("ns-1/G/d.x:y-z_1");
    }

    [Fact]
    public async Task PublishBatch_OneBadEntry_AppliesNothing()
    {
        await PublishAsync(Key("existing"), "old");
        var revision = Engine.Revision;
        var batch = new[]
        {
            new PublishRequest { Key = Key("existing"), Content = "new" },
            new PublishRequest { Key = Key("fresh"), Content = "fresh" },
            new PublishRequest { Key = Key("bad.json"), Content = "{ not json" },
        };

        var e = await Fails(ConfigErrorCode.InvalidFormat, () => Engine.PublishBatchAsync(batch));
        e.Line.ShouldBe(1);
        Engine.Get(Key("existing"))!.Content.ShouldBe("old");
        Engine.Get(Key("fresh")).ShouldBeNull();
        (await Tree.FindAsync("/sys/config/items/@default/G/fresh")).ShouldBeNull();
        Engine.Revision.ShouldBe(revision);
        (await Engine.ListHistoryAsync(Key("fresh"))).Total.ShouldBe(0);
    }

    [Fact]
    public async Task PublishBatch_AllGood_CommitsTogetherWithConsecutiveRevisions()
    {
        var results = await Engine.PublishBatchAsync([
            new PublishRequest { Key = Key("b1"), Content = "1" },
            new PublishRequest { Key = Key("b2"), Content = "2" },
            new PublishRequest { Key = Key("b3"), Content = "3" },
        ]);

        results.Select(r => r.Item.Revision).ShouldBe([1, 2, 3]);
        results.ShouldAllBe(r => r.Created);
        Engine.GetMany([Key("b3"), Key("none"), Key("b1")]).Select(i => i.Content).ShouldBe(["3", "1"]);
    }

    [Fact]
    public async Task PublishBatch_SameKeyTwice_ThrowsInvalidArgument()
    {
        await Fails(ConfigErrorCode.InvalidArgument, () => Engine.PublishBatchAsync([
            new PublishRequest { Key = Key("dup"), Content = "1" },
            new PublishRequest { Key = Key("dup"), Content = "2" },
        ]));
        Engine.Get(Key("dup")).ShouldBeNull();
    }

    [Fact]
    public async Task Reopen_LoadsEverythingFromTheStore()
    {
        await PublishAsync(Key("p1", "G", "ns"), "one");
        await PublishAsync(Key("p2"), "two");
        await Engine.RemoveAsync(Key("p2"));
        await Engine.DisposeAsync();

        Engine = await OpenEngineAsync();

        Engine.Get(Key("p1", "G", "ns"))!.Content.ShouldBe("one");
        Engine.Get(Key("p2")).ShouldBeNull();
        Engine.Count.ShouldBe(1);
        (await PublishAsync(Key("p3"), "three")).Item.Revision.ShouldBe(4);
    }

    [Fact]
    public async Task Publish_ByNonEditor_ThrowsForbidden_ByEditorGroupMember_Works()
    {
        var outsider = new Grove.Identity.Principal("bob", ["staff"], false);
        var editor = new Grove.Identity.Principal("eve", ["config"], false);

        await Fails(ConfigErrorCode.Forbidden, () => Engine.PublishAsync(new PublishRequest { Key = Key("f"), Content = "x", Actor = outsider }));
        (await Engine.PublishAsync(new PublishRequest { Key = Key("f"), Content = "x", Actor = editor })).Item.CreatedBy.ShouldBe("eve");
        await Fails(ConfigErrorCode.Forbidden, () => Engine.RemoveAsync(Key("f"), outsider));
    }

    [Fact]
    public async Task List_ExactContainsWildcardTagsAndContent_FindsTheRightConfigs()
    {
        await Engine.PublishAsync(new PublishRequest { Key = Key("order-service.yaml", "SHOP"), Content = "port: 80", Tags = ["prod"], App = "orders" });
        await Engine.PublishAsync(new PublishRequest { Key = Key("user-service.yaml", "SHOP"), Content = "port: 81" });
        await Engine.PublishAsync(new PublishRequest { Key = Key("order-service.yaml", "SHOP", "dev"), Content = "port: 82" });

        Engine.List(new ConfigQuery { Tenant = "", Group = "SHOP" }).Total.ShouldBe(2);
        Engine.List(new ConfigQuery { DataId = "ORDER", Match = ConfigMatch.Contains }).Total.ShouldBe(2);
        Engine.List(new ConfigQuery { Tenant = "", DataId = "*-service.yaml", Match = ConfigMatch.Wildcard }).Items.Select(i => i.Key.DataId).ShouldBe(["order-service.yaml", "user-service.yaml"]);
        Engine.List(new ConfigQuery { Tags = ["prod"] }).Items.ShouldHaveSingleItem().App.ShouldBe("orders");
        Engine.List(new ConfigQuery { ContentContains = "81" }).Items.ShouldHaveSingleItem().Key.DataId.ShouldBe("user-service.yaml");
        var page = Engine.List(new ConfigQuery { PageNo = 2, PageSize = 2 });
        (page.Items.Count, page.Total, page.Pages).ShouldBe((1, 3, 2));
    }
}
