using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Grove.Browser.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright, launched once for the whole suite. Playwright never downloads a browser
/// here: the driver (node, shipped in the NuGet package) starts <see cref="ExecutablePath"/>. When Chromium is missing
/// the suite skips with a printed reason, except under <c>CI=true</c>, where that is a failure.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Where Debian's <c>chromium</c> package puts the browser; <c>GROVE_CHROMIUM</c> overrides it.</summary>
    public static readonly string ExecutablePath = Environment.GetEnvironmentVariable("GROVE_CHROMIUM") is { Length: > 0 } path
        ? path
        : "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    /// <summary>The browser, or null when it is unavailable (see <see cref="UnavailableReason"/>).</summary>
    public IBrowser? Browser { get; private set; }

    /// <summary>Why there is no browser, or null.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>True when the environment variable <c>CI</c> is <c>true</c> (or <c>1</c>).</summary>
    public static bool IsCi => Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            UnavailableReason = $"no Chromium at {ExecutablePath} (apt-get install chromium, or set GROVE_CHROMIUM)";
            return;
        }

        // Note that the driver must never fetch a browser of its own: only the system's Chromium is used.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_BROWSERS_PATH", Path.Combine(Path.GetTempPath(), "grove-no-playwright-browsers"));
        try
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Args,
                Timeout = 60_000,
            });
        }
        catch (PlaywrightException e)
        {
            UnavailableReason = $"Chromium at {ExecutablePath} did not start under Playwright: {e.Message}";
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A Chromium that cannot be used, for testing the skip and CI paths.</summary>
    public static Chromium Unavailable(string reason) => new() { UnavailableReason = reason };

    /// <summary>The browser; or null after printing why it is missing. Under CI a missing browser throws instead.</summary>
    public IBrowser? OrSkip(ITestOutputHelper output) => OrSkip(output, IsCi);

    /// <summary>The browser; or null after printing why it is missing, unless <paramref name="ci"/> (then it throws).</summary>
    public IBrowser? OrSkip(ITestOutputHelper output, bool ci)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Browser is not null)
        {
            return Browser;
        }

        if (ci)
        {
            throw new InvalidOperationException($"Chromium is required under CI=true but unavailable: {UnavailableReason}");
        }

        output.WriteLine($"Skipped: {UnavailableReason}");
        return null;
    }
}
