using Grove.Config;
namespace Grove.Messages.Tests;

public sealed class MappingRevisionTests
{
    [Fact]
    public async Task Show_AfterRepublish_UsesTheRevisionTheMessageWasMappedWith()
    {
        await using var h = await MessageHarness.OpenAsync();
        var v1 = await h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
        var old = await h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-1", "WB1"));
        var v2 = await h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping.Replace("运单号", "运单编号", StringComparison.Ordinal));
        var fresh = await h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-2", "WB2"));

        old.Revision.ShouldBe(v1.Item.Revision);
        fresh.Revision.ShouldBe(v2.Item.Revision);
        (await h.Messages.GetAsync(old.Id)).Fields[0].Display.ShouldBe("运单号");
        (await h.Messages.GetAsync(fresh.Id)).Fields[0].Display.ShouldBe("运单编号");

        // The kept revision outlives the config: a new engine (nothing cached) still shows the old message as it was mapped.
        await h.Config.RemoveAsync(Grove.Config.ConfigKey.Create("acme.waybill", MessageMapping.ConfigGroup));
        await using var again = await MessageEngine.OpenAsync(h.Tree, h.Config);
        (await again.GetAsync(old.Id)).Mapping.Revision.ShouldBe(v1.Item.Revision);
        (await again.GetAsync(old.Id)).Fields[0].Display.ShouldBe("运单号");
    }

    [Fact]
    public async Task Publish_ReachesTheEngineAtOnce_BadMappingRefusedAtPublish()
    {
        await using var h = await MessageHarness.OpenAsync();
        var seen = new List<(string DataId, MessageException? Problem)>();
        h.Messages.MappingChanged += (id, _, problem) => seen.Add((id, problem));

        // Onboarding a partner is a publish, never a code change: the next message uses it.
        var good = await h.PublishAsync("newco", "waybill", MessageHarness.WaybillMapping);
        seen.ShouldBe([("newco.waybill", null)]);
        (await h.SendAsync("newco", "waybill", MessageHarness.Waybill("n-1", "N1"))).Duplicate.ShouldBeFalse();

        var bad = await Should.ThrowAsync<MessageException>(() => h.PublishAsync("newco", "waybill", """{"fields": [{"path": "a", "name": "a", "type": "money"}]}"""));
        bad.Code.ShouldBe(MessageErrorCode.InvalidMapping);
        bad.Errors.Single().Field.ShouldBe("fields[0] (a).type");
        (await Should.ThrowAsync<MessageException>(() => h.Config.PublishAsync(new PublishRequest { Key = ConfigKey.Create("nodot", MessageMapping.ConfigGroup), Content = MessageHarness.WaybillMapping }))).Code.ShouldBe(MessageErrorCode.InvalidArgument);

        h.Config.Get(ConfigKey.Create("newco.waybill", MessageMapping.ConfigGroup))!.Revision.ShouldBe(good.Item.Revision);
        seen.Count.ShouldBe(1);
        h.Messages.MappingProblems.ShouldBeEmpty();
        (await h.SendAsync("newco", "waybill", MessageHarness.Waybill("n-2", "N2"))).Revision.ShouldBe(good.Item.Revision);
    }
}
