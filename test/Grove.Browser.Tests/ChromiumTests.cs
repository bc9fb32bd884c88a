using Grove.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Grove.Browser.Tests;

/// <summary>A machine without Chromium: developers get a printed reason, CI gets a failure.</summary>
public sealed class ChromiumTests
{
    [Fact]
    public void OrSkip_NoBrowserOutsideCi_PrintsTheReasonAndAnswersNull()
    {
        var output = new Recorder();
        Chromium.Unavailable("no Chromium at /nowhere").OrSkip(output, ci: false).ShouldBeNull();
        output.Lines.ShouldBe(["Skipped: no Chromium at /nowhere"]);
    }

    [Fact]
    public void OrSkip_NoBrowserUnderCi_Throws()
    {
        var e = Should.Throw<InvalidOperationException>(() => Chromium.Unavailable("no Chromium at /nowhere").OrSkip(new Recorder(), ci: true));
        e.Message.ShouldContain("CI=true");
        e.Message.ShouldContain("no Chromium at /nowhere");
    }

    private sealed class Recorder : ITestOutputHelper
    {
        public List<string> Lines { get; } = [];

        public void WriteLine(string message) => Lines.Add(message);

        public void WriteLine(string format, params object[] args) => Lines.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
