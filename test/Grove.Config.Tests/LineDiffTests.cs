using Grove.Config.Internal;

namespace Grove.Config.Tests;

public sealed class LineDiffTests
{
    [Fact]
    public void Unified_OneChangedLine_PrintsHunkWithContext()
    {
        var before = string.Join('\n', Enumerable.Range(1, 10).Select(i => $"line{i}")) + "\n";
        var after = before.Replace("line5\n", "LINE5\n", StringComparison.Ordinal);

        var (text, added, removed) = LineDiff.Unified(before, after, "a/x@1", "b/x@2");

        (added, removed).ShouldBe((1, 1));
        text.ShouldBe("--- a/x@1\n+++ b/x@2\n@@ -2,7 +2,7 @@\n line2\n line3\n line4\n-line5\n+LINE5\n line6\n line7\n line8\n");
    }

    [Fact]
    public void Unified_FromEmpty_AddsEverything()
    {
        var (text, added, removed) = LineDiff.Unified("", "a\nb\n", "a", "b");
        (added, removed).ShouldBe((2, 0));
        text.ShouldEndWith("@@ -0,0 +1,2 @@\n+a\n+b\n");
    }

    [Fact]
    public void Unified_Equal_IsEmpty() => LineDiff.Unified("x\ny", "x\ny\n", "a", "b").Unified.ShouldBe("");

    [Fact]
    public void Unified_FarApartChanges_MakeTwoHunks()
    {
        var lines = Enumerable.Range(1, 30).Select(i => $"l{i}").ToList();
        var before = string.Join('\n', lines);
        lines[2] = "changed3";
        lines[26] = "changed27";
        var (text, added, removed) = LineDiff.Unified(before, string.Join('\n', lines), "a", "b");
        (added, removed).ShouldBe((2, 2));
        text.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public void Unified_InterleavedEdits_ReconstructBothSides()
    {
        var random = new Random(42);
        var a = Enumerable.Range(0, 200).Select(_ => random.Next(20).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var b = a.Where((_, i) => i % 7 != 0).Select((x, i) => i % 11 == 0 ? x + "!" : x).ToList();
        var (text, _, _) = LineDiff.Unified(string.Join('\n', a), string.Join('\n', b), "a", "b");

        // With a context of 3, applying the hunks means: old = context + removed, new = context + added, in order.
        var body = text.Split('\n').Skip(2).Where(l => l.Length > 0 && !l.StartsWith("@@", StringComparison.Ordinal)).ToList();
        var oldSide = body.Where(l => l[0] != '+').Select(l => l[1..]).ToList();
        var newSide = body.Where(l => l[0] != '-').Select(l => l[1..]).ToList();
        oldSide.Count.ShouldBeLessThanOrEqualTo(a.Count);
        newSide.Count.ShouldBeLessThanOrEqualTo(b.Count);
        foreach (var line in body.Where(l => l[0] == '-'))
        {
            a.ShouldContain(line[1..]);
        }

        foreach (var line in body.Where(l => l[0] == '+'))
        {
            b.ShouldContain(line[1..]);
        }
    }
}
