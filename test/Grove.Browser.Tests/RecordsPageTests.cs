using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>The Records page: record sets, tables and rotation (Rotate now), a paged grid with a filter, sort and history, a row's detail and optimistic edit.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordsPageTests(Chromium chromium, ITestOutputHelper output)
{
    private const string Mapping = """
        {"tableName":"t_news","fields":[{"name":"id","type":"Long"},{"name":"ct","type":"Long","notNull":true},
         {"name":"title"},{"name":"ver","type":"Integer","isVersion":true}],"pks":["id"],
         "history":{"cutField":"ct","mainRows":5,"tableRows":100,"keep":3}}
        """;

    [Fact]
    public async Task RecordsPage_RotateFilterPageAndEdit_WithConflictShown()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        using (var admin = await s.Server.AdminAsync())
        {
            (await admin.PutAsync("/api/v1/records/news", new StringContent(Mapping, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        var records = s.Server.Server.Records;
        for (var i = 1; i <= 60; i++)
        {
            await records.InsertAsync("news", new Dictionary<string, object?> { ["id"] = (long)i, ["ct"] = (long)i, ["title"] = "t" + i });
        }

        s.Page.PageError += (_, e) => output.WriteLine("page error: " + e);
        s.Page.Console += (_, m) => output.WriteLine("console: " + m.Text);
        await s.SignInAsync(hash: "#/records");
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Records", Exact = true })).ToBeVisibleAsync();
        await s.Page.GetByRole(AriaRole.Navigation, new() { Name = "Record sets" }).GetByRole(AriaRole.Link, new() { Name = "news" }).ClickAsync();
        var tables = s.Page.GetByRole(AriaRole.Table, new() { Name = "Tables", Exact = true });
        await Expect(tables).ToContainTextAsync("t_news");
        await Expect(tables.Locator("tbody tr")).ToHaveCountAsync(1);

        // Rotate now: 55 rows move to the first history table; the grid still pages across both in one order.
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Rotate now" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Rotated news: 55 rows moved" })).ToBeVisibleAsync();
        await Expect(tables).ToContainTextAsync("t_news__h000001");
        var rows = s.Page.GetByRole(AriaRole.Table, new() { Name = "Rows", Exact = true }).Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(rows.First).ToContainTextAsync("t1");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.Last).ToContainTextAsync("t60");
        await s.ScreenshotAsync("records-grid");

        // A filter and sort; history 'main only' leaves out what rotated.
        await s.Page.Locator("#records-where").FillAsync("""{"id":{"$lte":3}}""");
        await s.Page.Locator("#records-sort").FillAsync("-id");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.First).ToContainTextAsync("t3");
        await s.Page.Locator("#records-history").SelectOptionAsync("0");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(rows).ToHaveTextAsync(["No rows match."]);
        await s.Page.Locator("#records-where").FillAsync("""{"nope":1}""");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("nope");

        // A row's detail and edit: the version read makes the save optimistic.
        await s.Page.Locator("#records-where").FillAsync("""{"id":2}""");
        await s.Page.Locator("#records-history").SelectOptionAsync("all");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await rows.First.ClickAsync();
        var detail = s.Page.GetByRole(AriaRole.Region, new() { Name = "Row" });
        await Expect(detail).ToContainTextAsync("version 1");
        await s.Page.Locator("#records-field-title").FillAsync("edited");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved row 2" })).ToBeVisibleAsync();
        var saved = (await records.GetAsync("news", [2L]))!;
        (saved["title"], saved["ver"]).ShouldBe(("edited", 2));

        await records.UpdateAsync("news", new Dictionary<string, object?> { ["id"] = 2L, ["ver"] = 2, ["title"] = "elsewhere" });
        await s.Page.Locator("#records-field-title").FillAsync("stale");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "the row changed since it was read" })).ToBeVisibleAsync();
        (await records.GetAsync("news", [2L]))!["title"].ShouldBe("elsewhere");
    }
}
