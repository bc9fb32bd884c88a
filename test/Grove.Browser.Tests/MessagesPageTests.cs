using System.Net;
using System.Text;
using Grove.Browser.Tests.Infrastructure;
using Grove.Config;
using Grove.Messages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>The Messages page (issue 14, section Console): filter, list, one message with its display names and detail table, print, the mapping link.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MessagesPageTests(Chromium chromium, ITestOutputHelper output)
{
    private const string Mapping = """
        {"sourceId": "msgId", "keys": ["waybillNo"],
         "fields": [{"path": "waybillNo", "name": "waybillNo", "display": "运单号", "required": true},
                    {"path": "weight", "name": "weight", "display": "重量", "type": "decimal"}],
         "detail": {"path": "items", "name": "items", "display": "明细", "fields": [{"path": "sku", "name": "sku", "display": "货号"}]},
         "print": {"title": "运单 {waybillNo}"}}
        """;

    [Fact]
    public async Task MessagesPage_FilterAndOpenOne_ShowsDisplayNamesDetailAndPrintsPdf()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        foreach (var dataId in new[] { "acme.waybill", "globex.waybill" })
        {
            await s.Server.Server.ConfigCenter.PublishAsync(new PublishRequest { Key = ConfigKey.Create(dataId, MessageMapping.ConfigGroup), Content = Mapping, Type = ConfigType.Json });
        }

        using (var admin = await s.Server.AdminAsync())
        {
            foreach (var (partner, id, waybill) in new[] { ("acme", "m-1", "WB-甲"), ("globex", "g-1", "WB-乙") })
            {
                var body = $$"""{"msgId": "{{id}}", "waybillNo": "{{waybill}}", "weight": 1.5, "items": [{"sku": "货-{{id}}"}, {"sku": "second"}]}""";
                using var sent = await admin.PostAsync($"/api/v1/messages/{partner}/waybill", new StringContent(body, Encoding.UTF8, "application/json"));
                sent.StatusCode.ShouldBe(HttpStatusCode.Created);
            }
        }

        await s.SignInAsync(hash: "#/messages");
        var rows = s.Page.GetByRole(AriaRole.Table, new() { Name = "Messages", Exact = true }).Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(s.Page.Locator("#messages-partners option")).ToHaveCountAsync(2);

        await s.Page.Locator("#messages-partner").FillAsync("acme");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("m-1");
        await Expect(s.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/messages/\\?partner=acme$"));

        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        var message = s.Page.GetByRole(AriaRole.Region, new() { Name = "Message", Exact = true });
        await Expect(message.GetByRole(AriaRole.Heading, new() { Name = "运单 WB-甲" })).ToBeVisibleAsync();
        var fields = message.GetByRole(AriaRole.Table, new() { Name = "Fields" });
        await Expect(fields.Locator("tr[data-field='waybillNo']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("运单号\\s*WB-甲"));
        await Expect(fields.Locator("tr[data-field='weight']")).ToContainTextAsync("重量");
        var detail = message.GetByRole(AriaRole.Table, new() { Name = "Detail" });
        await Expect(detail.Locator("thead")).ToContainTextAsync("货号");
        await Expect(detail.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(detail.Locator("tbody tr").First).ToHaveTextAsync("货-m-1");
        await Expect(message.GetByRole(AriaRole.Link, new() { Name = "Mapping in the config center" }))
            .ToHaveAttributeAsync("href", "#/config/edit/GROVE_MESSAGES/acme.waybill");
        await s.ScreenshotAsync("messages-one");

        // The print links are plain links: the session cookie lets the browser's own requests fetch them.
        var pdfUrl = await message.GetByRole(AriaRole.Link, new() { Name = "Print (PDF)" }).GetAttributeAsync("href") ?? "";
        var pdf = await s.Page.APIRequest.GetAsync(s.Home.TrimEnd('/') + pdfUrl);
        pdf.Status.ShouldBe(200);
        pdf.Headers["content-type"].ShouldStartWith("application/pdf");
        Encoding.ASCII.GetString((await pdf.BodyAsync())[..5]).ShouldBe("%PDF-");

        var batchUrl = await s.Page.GetByRole(AriaRole.Link, new() { Name = "Print all (PDF)" }).GetAttributeAsync("href") ?? "";
        batchUrl.ShouldContain("partner=acme");
        var batch = await s.Page.APIRequest.GetAsync(s.Home.TrimEnd('/') + batchUrl);
        batch.Status.ShouldBe(200);
        batch.Headers["content-type"].ShouldStartWith("application/pdf");

        // A business key and a time range narrow the list too.
        await s.Page.Locator("#messages-partner").FillAsync("");
        await s.Page.Locator("#messages-key").FillAsync("waybillNo=WB-乙");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("g-1");
        await s.Page.Locator("#messages-key").FillAsync("");
        await s.Page.Locator("#messages-from").FillAsync("2099-01-01T00:00");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(rows).ToHaveTextAsync(["No messages match."]);
    }

    [Fact]
    public async Task MessagesPage_WhereFilterAndOverBatchCap_NarrowsListAndSaysPrintIsCapped()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await SendWaybillsAsync(s, 201);

        await s.SignInAsync(hash: "#/messages");
        var capped = s.Page.Locator(".messages-capped");
        await Expect(capped).ToBeVisibleAsync();
        await Expect(capped).ToContainTextAsync("More than 200 messages match");

        // A WnQuery range over a mapped field: weights 10–12 only; fewer than the cap, so no note.
        var rows = s.Page.GetByRole(AriaRole.Table, new() { Name = "Messages", Exact = true }).Locator("tbody tr");
        await s.Page.Locator("#messages-partner").FillAsync("acme");
        await s.Page.Locator("#messages-type").FillAsync("waybill");
        await s.Page.Locator("#messages-where").FillAsync("""{"weight": "[10,13)"}""");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.First).ToContainTextAsync("m-12");
        await Expect(capped).ToBeHiddenAsync();
        var batchUrl = await s.Page.GetByRole(AriaRole.Link, new() { Name = "Print all (PDF)" }).GetAttributeAsync("href") ?? "";
        batchUrl.ShouldContain("where=");

        // Not JSON: said in the page, nothing listed.
        await s.Page.Locator("#messages-where").FillAsync("weight > 3");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(s.Page.Locator(".messages-error")).ToContainTextAsync("Where: not JSON");
    }

    [Fact]
    public async Task MessagesPage_WhereMatchingOnlyOldMessages_SaysTheSearchGoesOnAndNextFindsIt()
    {
        // Note that the server tests at most MaxScan documents a page for a filter on mapped fields.
        await using var s = await ConsoleSession.StartAsync(chromium, output, o => o with { Messages = o.Messages with { MaxScan = 4 } });
        if (s is null)
        {
            return;
        }

        await SendWaybillsAsync(s, 7);

        await s.SignInAsync(hash: "#/messages");
        var rows = s.Page.GetByRole(AriaRole.Table, new() { Name = "Messages", Exact = true }).Locator("tbody tr");
        await s.Page.Locator("#messages-partner").FillAsync("acme");
        await s.Page.Locator("#messages-type").FillAsync("waybill");
        await s.Page.Locator("#messages-where").FillAsync("""{"weight": "[0,1)"}""");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(rows).ToHaveTextAsync(["Searched part of the history for this filter; Next searches older messages."]);
        await Expect(s.Page.Locator(".messages-capped")).ToBeHiddenAsync();

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("m-0");
        await Expect(s.Page.GetByRole(AriaRole.Button, new() { Name = "Next" })).ToBeDisabledAsync();
    }

    /// <summary>Publishes acme.waybill and sends <paramref name="count"/> waybills m-0… with weight i.</summary>
    private static async Task SendWaybillsAsync(ConsoleSession s, int count)
    {
        await s.Server.Server.ConfigCenter.PublishAsync(new PublishRequest { Key = ConfigKey.Create("acme.waybill", MessageMapping.ConfigGroup), Content = Mapping, Type = ConfigType.Json });
        using var admin = await s.Server.AdminAsync();
        for (var i = 0; i < count; i++)
        {
            var body = $$"""{"msgId": "m-{{i}}", "waybillNo": "WB-{{i}}", "weight": {{i}}, "items": []}""";
            using var sent = await admin.PostAsync("/api/v1/messages/acme/waybill", new StringContent(body, Encoding.UTF8, "application/json"));
            sent.StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }
}
