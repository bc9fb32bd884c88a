namespace Grove.Config.Tests;

public sealed class HistoryTests : EngineTestBase
{
    [Fact]
    public async Task History_ListDetailPrevious_RecordEveryPublishAndTheRemoval()
    {
        var key = Key("h.txt");
        var v1 = await PublishAsync(key, "one");
        var v2 = await PublishAsync(key, "two");
        await Engine.RemoveAsync(key, Admin, "10.9.9.9");

        var page = await Engine.ListHistoryAsync(key);
        page.Total.ShouldBe(3);
        page.Items.Select(h => h.Op).ShouldBe([ConfigOp.Delete, ConfigOp.Publish, ConfigOp.Publish], "newest first");
        page.Items.ShouldAllBe(h => h.Content == null, "lists carry no content");
        page.Items[1].Id.ShouldBe(v2.Item.Revision);
        page.Items[1].Md5.ShouldBe(Md5("two"));
        page.Items[0].ClientIp.ShouldBe("10.9.9.9");
        page.Items[0].User.ShouldBe("admin");

        var deleted = (await Engine.GetHistoryAsync(page.Items[0].Id)).ShouldNotBeNull();
        deleted.Content.ShouldBe("two", "a removal keeps the removed content");
        (await Engine.GetPreviousAsync(key, v2.Item.Revision))!.Content.ShouldBe("one");
        (await Engine.GetPreviousAsync(key, v1.Item.Revision)).ShouldBeNull();
        (await Engine.GetHistoryAsync(999)).ShouldBeNull();

        var second = await Engine.ListHistoryAsync(key, pageNo: 2, pageSize: 2);
        second.Items.ShouldHaveSingleItem().Id.ShouldBe(v1.Item.Revision);
    }

    [Fact]
    public async Task Diff_BetweenVersionsAndToCurrent_IsUnified()
    {
        var key = Key("d.properties");
        var v1 = await PublishAsync(key, "a=1\nb=2\nc=3\n");
        var v2 = await PublishAsync(key, "a=1\nb=20\nc=3\n");
        await PublishAsync(key, "a=1\nb=20\nc=3\nd=4\n");

        var diff = await Engine.DiffAsync(key, v1.Item.Revision, v2.Item.Revision);
        (diff.Added, diff.Removed).ShouldBe((1, 1));
        diff.Unified.ShouldContain("-b=2\n+b=20\n");

        var toNow = await Engine.DiffAsync(key, v2.Item.Revision);
        toNow.Unified.ShouldContain("+d=4\n");
        toNow.ToId.ShouldBe(Engine.Get(key)!.Revision);

        await Fails(ConfigErrorCode.NotFound, () => Engine.DiffAsync(Key("other"), v1.Item.Revision));
    }

    [Fact]
    public async Task Rollback_PublishesTheOldVersionAsANewRevision()
    {
        var key = Key("r.json");
        var v1 = await Engine.PublishAsync(new PublishRequest { Key = key, Content = "{\"v\":1}", Description = "first" });
        await Engine.PublishAsync(new PublishRequest { Key = key, Content = "{\"v\":2}", Description = "second" });

        var rolled = await Engine.RollbackAsync(key, v1.Item.Revision, Admin, "10.0.0.2");

        rolled.Item.Content.ShouldBe("{\"v\":1}");
        rolled.Item.Description.ShouldBe("first");
        rolled.Item.Revision.ShouldBeGreaterThan(v1.Item.Revision);
        Engine.Get(key)!.Md5.ShouldBe(v1.Item.Md5);
        (await Engine.ListHistoryAsync(key)).Items[0].Op.ShouldBe(ConfigOp.Rollback);
    }

    [Fact]
    public async Task Rollback_OfARemoval_RestoresTheRemovedConfig()
    {
        var key = Key("restore");
        await PublishAsync(key, "precious");
        await Engine.RemoveAsync(key);
        var removal = (await Engine.ListHistoryAsync(key)).Items[0];

        await Engine.RollbackAsync(key, removal.Id);

        Engine.Get(key)!.Content.ShouldBe("precious");
    }

    [Fact]
    public async Task Audit_FiltersByUserAndTenantAndPagesById()
    {
        var ann = new Grove.Identity.Principal("ann", ["config"], false);
        await Engine.PublishAsync(new PublishRequest { Key = Key("x"), Content = "1", Actor = ann });
        await Engine.PublishAsync(new PublishRequest { Key = Key("y", "G", "ns"), Content = "2", Actor = Admin });
        await Engine.PublishAsync(new PublishRequest { Key = Key("z"), Content = "3", Actor = ann });

        var byAnn = await Engine.ListAuditAsync(new AuditQuery { User = "ann" });
        byAnn.Select(h => h.Key.DataId).ShouldBe(["z", "x"]);
        (await Engine.ListAuditAsync(new AuditQuery { Tenant = "ns" })).ShouldHaveSingleItem().Key.DataId.ShouldBe("y");
        (await Engine.ListAuditAsync(new AuditQuery { Tenant = "" })).Count.ShouldBe(2);
        var next = await Engine.ListAuditAsync(new AuditQuery { Limit = 1, BeforeId = byAnn[0].Id });
        next.ShouldHaveSingleItem().Key.DataId.ShouldBe("y");
        await Fails(ConfigErrorCode.Forbidden, () => Engine.ListAuditAsync(new AuditQuery(), new Grove.Identity.Principal("bob", [], false)));
    }

    [Fact]
    public async Task History_WithRetention_CarriesAnExpiryForTheSweep()
    {
        await PublishAsync(Key("kept"), "v");
        var entry = (await Tree.ListAsync("/sys/config/history")).Items.ShouldHaveSingleItem();
        entry.Expires.ShouldBe(Clock.GetUtcNow().AddDays(180).ToUnixTimeMilliseconds());
    }
}
