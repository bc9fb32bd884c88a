using System.Text;
using Grove.Config;

namespace Grove.Client.Tests.Messages;

public sealed class MessageClientTests : ClientTestBase
{
    [Fact]
    public async Task SendListShowPrint_ThroughTheSdk()
    {
        await Server.Server.ConfigCenter.PublishAsync(new PublishRequest
        {
            Key = ConfigKey.Create("acme.order", "GROVE_MESSAGES"),
            Type = ConfigType.Yaml,
            Content = """
                format: xml
                sourceId: Order/@id
                keys: [orderNo]
                fields:
                  - {path: Order/No, name: orderNo, display: 订单号, required: true}
                detail: {path: Order/Line, name: lines, display: 行, fields: [{path: Sku, name: sku, display: 货号}]}
                """,
        });
        var acme = await UserAsync("acme");
        var sent = await acme.SendMessageAsync("acme", "order", Encoding.UTF8.GetBytes("<Order id=\"o-1\"><No>PO-1</No><Line><Sku>甲</Sku></Line></Order>"));
        sent.Duplicate.ShouldBeFalse();
        (await acme.SendMessageAsync("acme", "order", Encoding.UTF8.GetBytes("<Order id=\"o-1\"><No>PO-1</No></Order>"))).Duplicate.ShouldBeTrue();

        var page = await acme.ListMessagesAsync(new GroveMessageQuery { Partner = "acme", Keys = new Dictionary<string, string> { ["orderNo"] = "PO-1" } });
        page.Items.Single().Id.ShouldBe(sent.Id);
        var shown = await acme.FindMessageAsync("acme", "o-1");
        shown.Fields.Single().ShouldBe(("orderNo", "订单号", "PO-1"));
        shown.DetailRows.Single().ShouldBe(["甲"]);

        using var pdf = new MemoryStream();
        await acme.PrintMessageAsync("acme", "o-1", pdf);
        Encoding.ASCII.GetString(pdf.ToArray()[..5]).ShouldBe("%PDF-");
        await ShouldBeRefusedAsync(() => acme.SendMessageAsync("acme", "order", Encoding.UTF8.GetBytes("<Order/>")), 400, "validation_failed");
    }
}
