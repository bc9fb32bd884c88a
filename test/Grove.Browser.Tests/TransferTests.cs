using System.Security.Cryptography;
using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>Uploading from the browser with a progress bar, and downloading through the session cookie.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TransferTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Upload_WithSlowNetwork_ShowsProgressThenStoresTheBytes()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.MkdirAsync("/inbox");
        await s.PutAsync("/inbox/a.txt", "a"u8.ToArray());
        await s.SignInAsync(hash: "#/tree/inbox");
        await Expect(s.Row("a.txt")).ToBeVisibleAsync();

        // Note that on loopback an upload is instant; a throttled link makes the progress visible in between.
        var cdp = await s.Context.NewCDPSessionAsync(s.Page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = 2 * 1024 * 1024,
        });
        await s.Page.EvaluateAsync(
            """
            () => {
              window.progressSeen = [];
              new MutationObserver(() => {
                for (const p of document.querySelectorAll('progress')) window.progressSeen.push(p.value);
              }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['value'] });
            }
            """);
        var bytes = RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 123);
        await s.Page.GetByLabel("Upload files").SetInputFilesAsync(new FilePayload
        {
            Name = "data.bin", MimeType = "application/octet-stream", Buffer = bytes,
        });

        var bar = s.Page.GetByRole(AriaRole.Progressbar, new() { Name = "Upload of data.bin" });
        await Expect(bar).ToHaveAttributeAsync("value", "100", new() { Timeout = 30_000 });
        await Expect(s.Page.Locator("li[data-name='data.bin'] .upload-status")).ToHaveTextAsync("Uploaded");
        await Expect(s.Row("data.bin")).ToBeVisibleAsync();
        await s.ScreenshotAsync("upload");

        var seen = await s.Page.EvaluateAsync<double[]>("() => window.progressSeen");
        output.WriteLine("progress values seen: " + string.Join(", ", seen.Distinct()));
        seen.ShouldContain(v => v > 0 && v < 100, "the bar showed no progress between 0% and 100%");
        (await s.ReadAsync("/inbox/data.bin")).ShouldBe(bytes);
    }

    [Fact]
    public async Task Upload_TwoFiles_BothStoredAndListedInNameOrder()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/inbox/m.txt", "m"u8.ToArray());
        await s.SignInAsync(hash: "#/tree/inbox");
        await Expect(s.Row("m.txt")).ToBeVisibleAsync();
        await s.Page.GetByLabel("Upload files").SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "z.txt", MimeType = "text/plain", Buffer = "zz"u8.ToArray() },
            new FilePayload { Name = "b.txt", MimeType = "text/plain", Buffer = "bbb"u8.ToArray() },
        });

        await Expect(s.Listing.GetByRole(AriaRole.Option)).ToHaveCountAsync(3);
        var names = await s.Listing.GetByRole(AriaRole.Option).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.name)");
        names.ShouldBe(["b.txt", "m.txt", "z.txt"]);
        (await s.ReadAsync("/inbox/b.txt")).ShouldBe("bbb"u8.ToArray());
        (await s.Tree.GetAsync("/inbox/z.txt")).Mime.ShouldBe("text/plain");
    }

    [Fact]
    public async Task Upload_FinishedBeforeTheListingItStartedDuringArrives_FileIsListed()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/inbox/m.txt", "m"u8.ToArray());
        await s.PutAsync("/inbox/x.txt", "x"u8.ToArray());
        // The listing's first page is read by the server at once but reaches the page only after the upload has been
        // stored: the page, read before the upload, must not hide it (the console's upload lost that race in CI).
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        await s.Page.RouteAsync("**/api/v1/ls/inbox**", async route =>
        {
            var response = await route.FetchAsync();
            if (Interlocked.Increment(ref held) == 1)
            {
                await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }

            await route.FulfillAsync(new() { Response = response });
        });
        await s.SignInAsync(hash: "#/tree/inbox");
        await s.Page.GetByLabel("Upload files").SetInputFilesAsync(
            new FilePayload { Name = "evil.html", MimeType = "text/html", Buffer = "<p>x</p>"u8.ToArray() });
        await Expect(s.Page.GetByRole(AriaRole.Region, new() { Name = "Uploads" }).GetByRole(AriaRole.Status))
            .ToHaveTextAsync("Uploaded");
        changed.SetResult();

        await Expect(s.Row("evil.html")).ToBeVisibleAsync();
        var names = await s.Listing.GetByRole(AriaRole.Option).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.name)");
        names.ShouldBe(["evil.html", "m.txt", "x.txt"]);
        (await s.ReadAsync("/inbox/evil.html")).ShouldBe("<p>x</p>"u8.ToArray());
    }

    [Fact]
    public async Task Download_FromDetailsAndByKey_SavesTheStoredBytes()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await s.PutAsync("/docs/report q1.bin", bytes);
        await s.SignInAsync(hash: "#/tree/docs");
        await Expect(s.Row("report q1.bin")).ToHaveAttributeAsync("aria-selected", "true");

        var download = await s.Page.RunAndWaitForDownloadAsync(() => s.Details.GetByRole(AriaRole.Link, new() { Name = "Download" }).ClickAsync());
        download.SuggestedFilename.ShouldBe("report q1.bin");
        (await SavedBytesAsync(download)).ShouldBe(bytes);

        await s.Listing.FocusAsync();
        var again = await s.Page.RunAndWaitForDownloadAsync(() => s.Page.Keyboard.PressAsync("d"));
        (await SavedBytesAsync(again)).ShouldBe(bytes);
    }

    private static async Task<byte[]> SavedBytesAsync(IDownload download)
    {
        (await download.FailureAsync()).ShouldBeNull();
        var path = await download.PathAsync();
        return await File.ReadAllBytesAsync(path);
    }
}
