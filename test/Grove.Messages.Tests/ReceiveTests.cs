using System.Text;

namespace Grove.Messages.Tests;

public sealed class ReceiveTests : IAsyncLifetime
{
    private MessageHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await MessageHarness.OpenAsync();
        await _h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Receive_ValidJson_StoresOneDocumentShownWithDisplayNames()
    {
        var r = await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-1", "WB001", items: 3));
        r.Duplicate.ShouldBeFalse();
        r.SourceId.ShouldBe("m-1");

        var view = await _h.Messages.GetAsync(r.Id);
        view.Fields.Single(f => f.Name == "waybillNo").ShouldBe(new ShownField("waybillNo", "运单号", "WB001"));
        view.Fields.Single(f => f.Name == "status").Value.ShouldBe("已发货");
        view.Fields.Single(f => f.Name == "pieces").Value.ShouldBe("1");
        view.Fields.Single(f => f.Name == "sentAt").Value.ShouldBe("2026-12-01 08:30:00");
        view.Document["sentAt"]!.GetValue<string>().ShouldBe("2026-12-01T00:30:00.000Z");
        view.DetailTitle.ShouldBe("货物明细");
        view.DetailColumns.Select(c => c.Display).ShouldBe(["货号", "数量"]);
        view.DetailRows.Count.ShouldBe(3);
        view.DetailRows[2].ShouldBe(["货-3", "3"]);
        view.Message.Revision.ShouldBe(view.Mapping.Revision);

        var original = Encoding.UTF8.GetString(await _h.Messages.GetOriginalAsync(r.Id));
        original.ShouldBe(MessageHarness.Waybill("m-1", "WB001", items: 3));
        (await _h.Messages.FindAsync("acme", "m-1")).Message.Id.ShouldBe(r.Id);
    }

    [Fact]
    public async Task Receive_Resend_ReturnsFirstAnswerAndStoresNothing()
    {
        var first = await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-2", "WB002"));
        var again = await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-2", "WB002-changed"));
        again.Duplicate.ShouldBeTrue();
        again.Id.ShouldBe(first.Id);
        again.ReceivedAt.ShouldBe(first.ReceivedAt);

        var keyed = await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-3", "WB003"), idempotencyKey: "k-1");
        (await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-4", "WB004"), idempotencyKey: "k-1")).Id.ShouldBe(keyed.Id);
        (await _h.Messages.StatsAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Receive_ResendWhoseBodyNoLongerMaps_ReturnsFirstAnswer()
    {
        var first = await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-5", "WB005"));
        var broken = """{"header": {"msgId": "m-5", "weight": "heavy"}, "items": []}""";

        var again = await _h.SendAsync("acme", "waybill", broken, sourceId: "m-5");

        again.Duplicate.ShouldBeTrue();
        again.Id.ShouldBe(first.Id);
        (await Should.ThrowAsync<MessageException>(() => _h.SendAsync("acme", "waybill", broken, sourceId: "m-6")))
            .Code.ShouldBe(MessageErrorCode.ValidationFailed);
        (await _h.Messages.StatsAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Receive_ConcurrentResends_StoreOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _h.SendAsync("acme", "waybill", MessageHarness.Waybill("same", "WB9")))));
        results.Select(r => r.Id).Distinct().Count().ShouldBe(1);
        results.Count(r => !r.Duplicate).ShouldBe(1);
        (await _h.Messages.StatsAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Receive_EveryFailingField_NamedInOneError()
    {
        var body = """{"header": {"msgId": "bad", "weight": "heavy", "pieces": "x", "sentAt": "yesterday", "status": "9"}, "items": [{"qty": 1}]}""";
        var e = await Should.ThrowAsync<MessageException>(() => _h.SendAsync("acme", "waybill", body));
        e.Code.ShouldBe(MessageErrorCode.ValidationFailed);
        e.Status.ShouldBe(400);
        e.Errors.Select(x => x.Field).ShouldBe(["waybillNo", "weight", "pieces", "sentAt", "status", "items[0].sku"], ignoreOrder: true);
        e.Message.ShouldContain("运单号");
        e.Extensions["fields"].ShouldBe("waybillNo,weight,pieces,sentAt,status,items[0].sku");
        (await _h.Messages.StatsAsync()).Count.ShouldBe(0);
    }

    [Fact]
    public async Task Receive_BadJson_NamesThePosition()
    {
        var e = await Should.ThrowAsync<MessageException>(() => _h.SendAsync("acme", "waybill", "{\"header\": {\n  \"waybillNo\": oops}}"));
        e.Code.ShouldBe(MessageErrorCode.InvalidBody);
        e.Line.ShouldBe(2);
        e.Column.ShouldNotBeNull().ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task Receive_OverSizeLimit_TooLarge()
    {
        await using var h = await MessageHarness.OpenAsync(options: new MessageOptions { MaxBodyBytes = 100 });
        await h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
        var e = await Should.ThrowAsync<MessageException>(() => h.SendAsync("acme", "waybill", MessageHarness.Waybill("m", "WB")));
        e.Code.ShouldBe(MessageErrorCode.TooLarge);
        e.Status.ShouldBe(413);
        e.Limit.ShouldBe(100);
    }

    [Fact]
    public async Task Receive_UnknownPartnerOrType_UnknownMapping()
    {
        (await Should.ThrowAsync<MessageException>(() => _h.SendAsync("nobody", "waybill", "{}"))).Code.ShouldBe(MessageErrorCode.UnknownMapping);
        (await Should.ThrowAsync<MessageException>(() => _h.SendAsync("acme", "other", "{}"))).Status.ShouldBe(404);
        (await Should.ThrowAsync<MessageException>(() => _h.SendAsync("ac.me", "other", "{}"))).Code.ShouldBe(MessageErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task Receive_Xml_MapsElementsAttributesAndRepeatedDetail()
    {
        await _h.PublishAsync("beta", "order", """
            format: xml
            sourceId: Order/@id
            keys: [orderNo]
            fields:
              - {path: Order/No, name: orderNo, display: 订单号, required: true}
              - {path: Order/Buyer/@name, name: buyer, display: 买方}
              - {path: Order/Total, name: total, display: 金额, type: decimal}
            detail:
              path: Order/Lines/Line
              name: lines
              display: 订单行
              fields:
                - {path: Sku, name: sku, display: 货号}
                - {path: "@qty", name: qty, display: 数量, type: integer}
            """, Grove.Config.ConfigType.Yaml);
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <Order id="X-1" xmlns="urn:partner"><No>PO-7</No><Buyer name="李四"/><Total>99.50</Total>
              <Lines><Line qty="2"><Sku>A</Sku></Line><Line qty="5"><Sku>B</Sku></Line></Lines></Order>
            """;
        var r = await _h.SendAsync("beta", "order", xml);
        r.SourceId.ShouldBe("X-1");
        var view = await _h.Messages.GetAsync(r.Id);
        view.Fields.Select(f => f.Value).ShouldBe(["PO-7", "李四", "99.50"]);
        view.DetailRows.ShouldBe([["A", "2"], ["B", "5"]]);
        var single = await _h.SendAsync("beta", "order", "<Order id=\"X-2\"><No>PO-8</No><Lines><Line qty=\"1\"><Sku>C</Sku></Line></Lines></Order>");
        (await _h.Messages.GetAsync(single.Id)).DetailRows.ShouldBe([["C", "1"]]);
    }

    [Fact]
    public async Task Receive_XmlWithDtdOrExternalEntity_RefusedNeverExpanded()
    {
        await _h.PublishAsync("beta", "doc", """{"format": "xml", "fields": [{"path": "a", "name": "a"}]}""");
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, "SECRET");
        try
        {
            foreach (var xml in new[]
            {
                $"<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM \"file://{secret}\">]>\n<a>&x;</a>",
                "<!DOCTYPE a [<!ENTITY l \"lol\"><!ENTITY l2 \"&l;&l;&l;&l;\">]><a>&l2;</a>",
            })
            {
                var e = await Should.ThrowAsync<MessageException>(() => _h.SendAsync("beta", "doc", xml));
                e.Code.ShouldBe(MessageErrorCode.InvalidBody);
                e.Message.ShouldContain("DTD");
                e.Message.ShouldNotContain("SECRET");
                e.Line.ShouldNotBeNull();
            }
        }
        finally
        {
            File.Delete(secret);
        }

        (await _h.Messages.StatsAsync()).Count.ShouldBe(0);
    }
}
