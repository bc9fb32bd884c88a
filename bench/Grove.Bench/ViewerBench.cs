using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Grove.Bench;

/// <summary>
/// The console's log viewer in headless Chromium (Debian's, through Playwright) on the big log: time from opening
/// the address to the first lines drawn, time from "Go to line" to the line drawn, and the page's JS heap and DOM
/// size after opening and after many jumps. Medians of several tries; a measurement, not a test.
/// </summary>
internal static class ViewerBench
{
    private const int Tries = 7;

    public static async Task RunAsync(Uri server, string id, long lines)
    {
        try
        {
            await MeasureAsync(server, id, lines);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            Console.WriteLine("  viewer: failed: " + e.Message);
            throw;
        }
    }

    private static async Task MeasureAsync(Uri server, string id, long lines)
    {
        var chromium = Environment.GetEnvironmentVariable("GROVE_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            Console.WriteLine($"\n  viewer: skipped, no Chromium at {chromium}");
            return;
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => Console.WriteLine("  viewer page error: " + e);
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                Console.WriteLine($"  viewer console {m.Type}: {m.Text}");
            }
        };
        await page.GotoAsync(server.ToString());
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(ServerProcess.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "User menu" }).WaitForAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");

        var opens = new List<double>();
        var jumps = new List<double>();
        for (var i = 0; i < Tries; i++)
        {
            await page.GotoAsync(server + "#/tree");
            await page.Locator(".page-tree").WaitForAsync();
            var sw = Stopwatch.StartNew();
            await page.GotoAsync(server + "#/logs/" + id);
            try
            {
                await page.Locator(".log-line[data-n=\"1\"]:not(.loading)").WaitForAsync(new() { Timeout = 20_000 });
            }
            catch (TimeoutException)
            {
                var shot = Path.Combine(Path.GetTempPath(), "grove-viewer-failure.png");
                await page.ScreenshotAsync(new() { Path = shot });
                Console.WriteLine($"  viewer: the first lines did not show; screenshot in {shot}");
                throw;
            }

            opens.Add(sw.Elapsed.TotalMilliseconds);

            var target = (long)(lines * (0.5 + (0.45 * i / Tries)));
            await page.GetByLabel("Go to line").FillAsync(target.ToString(CultureInfo.InvariantCulture));
            sw.Restart();
            await page.GetByRole(AriaRole.Button, new() { Name = "Go", Exact = true }).ClickAsync();
            await page.Locator($".log-line[data-n=\"{target}\"]:not(.loading)").WaitForAsync(new() { Timeout = 60_000 });
            jumps.Add(sw.Elapsed.TotalMilliseconds);
        }

        var afterOpen = await HeapAsync(cdp, page);
        var random = new Random(7);
        for (var i = 0; i < 100; i++)
        {
            var target = 1 + (long)(random.NextDouble() * (lines - 1));
            await page.GetByLabel("Go to line").FillAsync(target.ToString(CultureInfo.InvariantCulture));
            await page.GetByRole(AriaRole.Button, new() { Name = "Go", Exact = true }).ClickAsync();
            await page.Locator($".log-line[data-n=\"{target}\"]:not(.loading)").WaitForAsync(new() { Timeout = 60_000 });
        }

        var afterJumps = await HeapAsync(cdp, page);
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\n  viewer on the {lines:N0}-line log (headless Chromium, 1280x800): open to first lines p50 {Median(opens):N0} ms (max {opens.Max():N0}), jump to a line p50 {Median(jumps):N0} ms (max {jumps.Max():N0}); goal ≤ 1,000 ms each"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  page memory: JS heap {afterOpen.Heap / 1048576.0:0.0} MB after opening, {afterJumps.Heap / 1048576.0:0.0} MB after 100 more random jumps; DOM {afterOpen.Nodes} / {afterJumps.Nodes} elements, {afterJumps.Lines} line rows"));
        await context.CloseAsync();
    }

    private static async Task<(double Heap, int Nodes, int Lines)> HeapAsync(ICDPSession cdp, IPage page)
    {
        await cdp.SendAsync("HeapProfiler.collectGarbage");
        var metrics = await cdp.SendAsync("Performance.getMetrics");
        var heap = metrics!.Value.GetProperty("metrics").EnumerateArray()
            .First(m => m.GetProperty("name").GetString() == "JSHeapUsedSize").GetProperty("value").GetDouble();
        var nodes = await page.EvaluateAsync<int>("() => document.getElementsByTagName('*').length");
        var rows = await page.EvaluateAsync<int>("() => document.querySelectorAll('.log-line').length");
        return (heap, nodes, rows);
    }
}
