using Grove.Identity;
using Grove.Server;
using Grove.Tree;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Grove.Browser.Tests.Infrastructure;

/// <summary>
/// One test's world: a real Grove server in-process on a free loopback port, and a fresh browser context (its own
/// cookies and session storage) with one page on the console. An uncaught script error or a Content-Security-Policy
/// violation in the page fails the test when the session is disposed.
/// </summary>
public sealed class ConsoleSession : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly List<string> _scriptFaults = [];

    private ConsoleSession(RunningServer server, IBrowserContext context, IPage page, ITestOutputHelper output)
    {
        Server = server;
        Context = context;
        Page = page;
        _output = output;
        page.PageError += (_, e) =>
        {
            output.WriteLine("page error: " + e);
            _scriptFaults.Add("uncaught: " + e);
        };
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                output.WriteLine($"console {m.Type}: {m.Text}");
            }

            if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _scriptFaults.Add("policy: " + m.Text);
            }
        };
    }

    public RunningServer Server { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The console's root URL.</summary>
    public string Home => Server.Address.ToString();

    /// <summary>Starts a server and a page; null (after printing why) when there is no browser outside CI.</summary>
    public static async Task<ConsoleSession?> StartAsync(Chromium chromium, ITestOutputHelper output, Func<GroveServerOptions, GroveServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(chromium);
        if (chromium.OrSkip(output) is not { } browser)
        {
            return null;
        }

        Assertions.SetDefaultExpectTimeout(30_000);
        var server = await RunningServer.StartAsync(configure);
        try
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
            context.SetDefaultTimeout(30_000);
            var page = await context.NewPageAsync();
            return new ConsoleSession(server, context, page, output);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server's tree, for arranging a test's data directly (fast, no browser involved).</summary>
    public TreeService Tree => Server.Server.Tree;

    /// <summary>Creates a directory owned by admin, with a mode when given.</summary>
    public Task<TreeObject> MkdirAsync(string path, int? mode = null) =>
        Tree.MkdirAsync(path, new CreateOptions { User = "admin", Mode = mode });

    /// <summary>Writes a file as admin.</summary>
    public async Task<TreeObject> PutAsync(string path, byte[] content)
    {
        using var stream = new MemoryStream(content);
        return await Tree.WriteAsync(path, stream, new PutOptions { User = "admin" });
    }

    /// <summary>A file's stored bytes.</summary>
    public async Task<byte[]> ReadAsync(string path)
    {
        await using var file = await Tree.OpenFileAsync(path);
        using var copy = new MemoryStream();
        await file.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Writes a screenshot to the folder named by GROVE_SCREENSHOTS, when set (for looking at the console).</summary>
    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("GROVE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
        }
    }

    /// <summary>Creates a user who is not an admin.</summary>
    public Task CreateUserAsync(string name, params string[] groups) =>
        Server.Server.Identity.CreateUserAsync(Principal.System, name, RunningServer.UserPassword, groups, admin: false);

    /// <summary>Opens the console at <paramref name="hash"/> and signs in through the login form.</summary>
    public async Task SignInAsync(string user = "admin", string password = RunningServer.AdminPassword, string hash = "")
    {
        await Page.GotoAsync(Home + hash);
        await Page.GetByLabel("User name").FillAsync(user);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "User menu" })).ToContainTextAsync(user);
    }

    /// <summary>The listing (a listbox named after the directory or the search).</summary>
    public ILocator Listing => Page.GetByRole(AriaRole.Listbox);

    /// <summary>The row of the listing with this name.</summary>
    public ILocator Row(string name) => Listing.Locator($"[role=option][data-name=\"{name}\"]");

    /// <summary>The breadcrumbs navigation.</summary>
    public ILocator Breadcrumbs => Page.GetByRole(AriaRole.Navigation, new() { Name = "Breadcrumbs" });

    /// <summary>The details panel of the selected object.</summary>
    public ILocator Details => Page.GetByRole(AriaRole.Region, new() { Name = "Details" });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Context.CloseAsync();
        }
        catch (PlaywrightException e)
        {
            _output.WriteLine("closing the browser context: " + e.Message);
        }

        await Server.DisposeAsync();
        _scriptFaults.ShouldBeEmpty("the console's scripts failed in the page");
    }
}
