namespace Grove.Cli.Demo;

/// <summary>The sample task logs of <c>grove demo</c>: a build that succeeded, tests that failed, a deploy still running.</summary>
internal static class DemoLogs
{
    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Bold = "\u001b[1m";
    private const string Reset = "\u001b[0m";

    /// <summary>A sample task: its name, labels, lines, and how it ends (null: it is left running).</summary>
    public sealed record Task(string Name, string[] Labels, IReadOnlyList<string> Lines, int? ExitCode);

    public static IReadOnlyList<Task> All { get; } = [Build(), Tests(), Deploy()];

    private static Task Build()
    {
        var lines = new List<string> { "$ dotnet build shop.sln -c Release", "  Determining projects to restore..." };
        for (var i = 1; i <= 240; i++)
        {
            lines.Add($"  [{i,3}/240] compiling Shop.Module{i:000}.cs");
            if (i % 60 == 0)
            {
                lines.Add($"{Yellow}warning CS0168: The variable 'e' is declared but never used (Shop.Module{i:000}.cs:42){Reset}");
            }
        }

        lines.Add($"{Green}{Bold}Build succeeded.{Reset}");
        lines.Add("    4 Warning(s)");
        lines.Add("    0 Error(s)");
        return new("demo: build #41", ["demo", "build"], lines, 0);
    }

    private static Task Tests()
    {
        var lines = new List<string> { "$ dotnet test shop.sln -c Release" };
        for (var i = 1; i <= 120; i++)
        {
            lines.Add(i == 87
                ? $"{Red}  Failed Shop.Tests.CheckoutTests.Pay_ExpiredCard_Refuses [12 ms]{Reset}"
                : $"{Green}  Passed{Reset} Shop.Tests.Suite{i / 10:00}.Case{i:000} [{(i * 7) % 40 + 1} ms]");
        }

        lines.Add($"{Red}Failed!{Reset} - Failed: 1, Passed: 119, Skipped: 0, Total: 120");
        return new("demo: tests #41", ["demo", "test"], lines, 1);
    }

    private static Task Deploy()
    {
        var lines = new List<string> { "$ ./deploy.sh shop 42" };
        for (var i = 1; i <= 12; i++)
        {
            lines.Add($"rolling out shop 42 to node-{i:00}: pulled, started, healthy");
        }

        lines.Add("waiting for node-13 to drain its connections…");
        return new("demo: deploy #42", ["demo", "deploy"], lines, null);
    }
}
