using System.Text.Json;
using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary>ls and find: pages, cursors, sort, and the JSON documents.</summary>
public sealed class ListingTests : IDisposable
{
    private readonly GroveRunner _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public async Task Ls_LimitAndAfter_PagesThroughInNameOrder()
    {
        await SeedAsync();
        var first = (await _g.RunAsync("ls", "/d", "--limit", "2")).ShouldSucceed();
        Names(first).ShouldBe(["a.txt", "b.txt"]);
        first.ErrorLines.ShouldBe(["next: b.txt"]);

        var second = (await _g.RunAsync("ls", "/d", "--limit", "2", "--after", "b.txt")).ShouldSucceed();
        Names(second).ShouldBe(["c.txt", "d.txt"]);
        second.ErrorLines.ShouldBe(["next: d.txt"]);

        var last = (await _g.RunAsync("ls", "/d", "--limit", "2", "--after", "d.txt")).ShouldSucceed();
        Names(last).ShouldBe(["e.txt"]);
        last.Error.ShouldBeEmpty();
    }

    [Fact]
    public async Task Ls_AllWithSmallPages_StreamsEveryChild()
    {
        await SeedAsync();
        var all = (await _g.RunAsync("ls", "d", "--all", "--limit", "2")).ShouldSucceed();
        Names(all).ShouldBe(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]);
        all.Error.ShouldBeEmpty();

        var json = Parse((await _g.RunAsync("--json", "ls", "/d", "-a", "-n", "2")).ShouldSucceed().Out);
        json.GetProperty("items").GetArrayLength().ShouldBe(5);
        json.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Ls_JsonWithLimit_CarriesNextCursor()
    {
        await SeedAsync();
        var result = (await _g.RunAsync("ls", "/d", "--limit", "3", "--json")).ShouldSucceed();
        result.Lines.Count.ShouldBe(1);
        var json = Parse(result.Out);
        json.GetProperty("items").GetArrayLength().ShouldBe(3);
        json.GetProperty("next").GetString().ShouldBe("c.txt");
    }

    [Fact]
    public async Task Ls_File_ShowsThatFile()
    {
        await SeedAsync();
        Names((await _g.RunAsync("ls", "/d/c.txt")).ShouldSucceed()).ShouldBe(["c.txt"]);
    }

    [Fact]
    public async Task Ls_LimitOutOfRange_FailsWithInvalidFilter()
    {
        await SeedAsync();
        (await _g.RunAsync("ls", "/d", "--limit", "0")).ShouldFail(2, "invalid_filter");
    }

    [Fact]
    public async Task Find_SortAndCursor_PagesThroughAllResultsInOrder()
    {
        await SeedAsync();
        var paths = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            string[] args = ["find", "--where", "{\"kind\":\"doc\"}", "--sort", "-rank,nm", "--limit", "2", "--json"];
            var result = (await _g.RunAsync(cursor is null ? args : [.. args, "--after", cursor])).ShouldSucceed();
            var page = Parse(result.Out);
            paths.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ph").GetString()!));
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.String ? page.GetProperty("next").GetString() : null;
            if (cursor is null)
            {
                result.Error.ShouldBeEmpty();
                break;
            }

            result.ErrorLines.ShouldBe([$"next: {cursor}"]);
        }

        paths.ShouldBe(["/d/e.txt", "/d/d.txt", "/d/c.txt", "/d/b.txt", "/d/a.txt"]);
    }

    [Fact]
    public async Task Find_HumanOutput_ShowsPathsAndNextOnStderr()
    {
        await SeedAsync();
        var result = (await _g.RunAsync("find", "--where", "{\"rank\":{\"$gte\":3}}", "--sort", "rank", "--limit", "2")).ShouldSucceed();
        result.Lines[0].ShouldEndWith("PATH");
        result.Lines.Skip(1).Select(l => l.Split(' ')[^1]).ShouldBe(["/d/c.txt", "/d/d.txt"]);
        result.ErrorLines.Count.ShouldBe(1);
        result.ErrorLines[0].ShouldStartWith("next: ");
    }

    [Fact]
    public async Task Find_InDirectory_SearchesOnlyItsChildren()
    {
        await SeedAsync();
        await _g.RunWithInputAsync(GroveRunner.Utf8("x"), "put", "-", "/other/z.txt");
        var json = Parse((await _g.RunAsync("find", "--in", "/other", "--json")).ShouldSucceed().Out);
        json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("nm").GetString()).ShouldBe(["z.txt"]);
    }

    [Fact]
    public async Task Find_MalformedWhere_FailsWithInvalidFilter()
    {
        await SeedAsync();
        (await _g.RunAsync("find", "--where", "{nope")).ShouldFail(2, "invalid_filter");
    }

    /// <summary>Files a..e.txt in /d, ranks 1..5, all of kind doc.</summary>
    private async Task SeedAsync()
    {
        (await _g.RunAsync("init")).ShouldSucceed();
        foreach (var name in new[] { "c", "a", "e", "b", "d" })
        {
            var rank = name[0] - 'a' + 1;
            (await _g.RunWithInputAsync(GroveRunner.Utf8(name), "put", "-", $"/d/{name}.txt")).ShouldSucceed();
            (await _g.RunAsync("meta", "set", $"/d/{name}.txt", $"rank={rank}", "kind=doc")).ShouldSucceed();
        }
    }

    private static IEnumerable<string> Names(CliResult result) => result.Lines.Skip(1).Select(l => l.Split(' ')[^1]);

    private static JsonElement Parse(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
