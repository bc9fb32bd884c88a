using Grove.Tree.Internal;
using Grove.Testing;

namespace Grove.Tree.Tests;

public sealed class SafePathTests : IDisposable
{
    private readonly TempFolder _sandbox = new();
    private readonly string _root;
    private readonly string _secret;

    public SafePathTests()
    {
        _root = _sandbox.Dir("root");
        _secret = _sandbox.Dir("secret");
        _sandbox.File("secret/passwd", "s3cret");
        _sandbox.File("root/docs/a.txt", "a");
    }

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("docs/a.txt", "docs/a.txt")]
    [InlineData("new/folder/file.bin", "new/folder/file.bin")]
    [InlineData("docs//./a.txt", "docs/a.txt")]
    [InlineData("docs/", "docs")]
    [InlineData("./docs", "docs")]
    [InlineData("..a/b..", "..a/b..")]
    public void ResolvesInsideTheRoot(string relative, string expected) =>
        SafePath.Resolve(_root, relative).ShouldBe(Path.Join(_root, expected));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(".//./")]
    public void EmptyPathIsTheRoot(string relative) => SafePath.Resolve(_root, relative).ShouldBe(_root);

    [Fact]
    public void AcceptsARootWithATrailingSlash() =>
        SafePath.Resolve(_root + "/", "docs/a.txt").ShouldBe(Path.Join(_root, "docs/a.txt"));

    [Theory]
    [InlineData("..", "climbs with '..'")]
    [InlineData("../secret/passwd", "climbs with '..'")]
    [InlineData("docs/../../secret", "climbs with '..'")]
    [InlineData("docs/..", "climbs with '..'")]
    [InlineData("/etc/passwd", "is absolute")]
    [InlineData("docs\\a.txt", "backslash")]
    [InlineData("..\\secret", "backslash")]
    [InlineData("docs/a\0.txt", "NUL")]
    public void RejectsEscapingText(string relative, string expected)
    {
        var error = Should.Throw<TreeException>(() => SafePath.Resolve(_root, relative));

        error.Code.ShouldBe(TreeErrorCode.PathEscape);
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void RejectsADirectoryLinkOutside()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "out"), _secret);

        Escapes("out").ShouldContain("'out' is a symbolic link");
        Escapes("out/passwd").ShouldContain("'out' is a symbolic link");
        Escapes("out/missing/file").ShouldContain("outside the root");
    }

    [Fact]
    public void RejectsAFileLinkOutside()
    {
        File.CreateSymbolicLink(Path.Join(_root, "docs/pw"), Path.Join(_secret, "passwd"));

        Escapes("docs/pw").ShouldContain("'docs/pw' is a symbolic link");
    }

    [Fact]
    public void RejectsARelativeLinkThatClimbsOut()
    {
        File.CreateSymbolicLink(Path.Join(_root, "docs/up"), "../../secret/passwd");

        Escapes("docs/up").ShouldContain("outside the root");
    }

    [Fact]
    public void RejectsADanglingLinkOutside()
    {
        File.CreateSymbolicLink(Path.Join(_root, "dangling"), Path.Join(_secret, "not-there"));

        Escapes("dangling").ShouldContain("outside the root");
    }

    [Fact]
    public void RejectsAChainOfLinksEndingOutside()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "hop2"), _secret);
        Directory.CreateSymbolicLink(Path.Join(_root, "hop1"), "hop2");

        Escapes("hop1/passwd").ShouldContain("'hop1' is a symbolic link");
    }

    [Fact]
    public void RejectsARelativeLinkReachedThroughALinkedFolder()
    {
        // `alias` points at the root itself, so the kernel reads `alias/up` as `root/up` = `root/../secret`,
        // though spelling `root/alias/../secret` out as text would land inside the root.
        Directory.CreateSymbolicLink(Path.Join(_root, "alias"), _root);
        Directory.CreateSymbolicLink(Path.Join(_root, "up"), "../secret");

        Escapes("alias/up/passwd").ShouldContain("'alias/up' is a symbolic link");
    }

    [Fact]
    public void RejectsALinkLoop()
    {
        File.CreateSymbolicLink(Path.Join(_root, "loop"), "loop");

        Escapes("loop").ShouldContain("too many levels of symbolic links");
    }

    [Fact]
    public void AcceptsLinksThatStayInside()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "docs-link"), Path.Join(_root, "docs"));
        File.CreateSymbolicLink(Path.Join(_root, "docs/rel"), "a.txt");
        _sandbox.Dir("root/deep/er");
        Directory.CreateSymbolicLink(Path.Join(_root, "deep/er/back"), "../../docs");
        Directory.CreateSymbolicLink(Path.Join(_root, "self"), _root);

        SafePath.Resolve(_root, "docs-link/a.txt").ShouldBe(Path.Join(_root, "docs-link/a.txt"));
        SafePath.Resolve(_root, "docs/rel").ShouldBe(Path.Join(_root, "docs/rel"));
        SafePath.Resolve(_root, "deep/er/back/a.txt").ShouldBe(Path.Join(_root, "deep/er/back/a.txt"));
        SafePath.Resolve(_root, "self/self/docs").ShouldBe(Path.Join(_root, "self/self/docs"));
        File.ReadAllText(SafePath.Resolve(_root, "deep/er/back/rel")).ShouldBe("a");
    }

    [Fact]
    public void WorksWhenTheRootItselfIsALink()
    {
        var linkedRoot = Path.Join(_sandbox.Path, "root-link");
        Directory.CreateSymbolicLink(linkedRoot, _root);
        File.CreateSymbolicLink(Path.Join(_root, "abs"), Path.Join(_root, "docs/a.txt"));
        File.CreateSymbolicLink(Path.Join(_root, "via-link"), Path.Join(linkedRoot, "docs/a.txt"));

        SafePath.Resolve(linkedRoot, "docs/a.txt").ShouldBe(Path.Join(linkedRoot, "docs/a.txt"));
        SafePath.Resolve(linkedRoot, "abs").ShouldBe(Path.Join(linkedRoot, "abs"));
        SafePath.Resolve(_root, "via-link").ShouldBe(Path.Join(_root, "via-link"));
        Should.Throw<TreeException>(() => SafePath.Resolve(linkedRoot, "../secret")).Code.ShouldBe(TreeErrorCode.PathEscape);
    }

    [Fact]
    public void WalksThroughAFileUsedAsAFolder() =>
        SafePath.Resolve(_root, "docs/a.txt/x").ShouldBe(Path.Join(_root, "docs/a.txt/x"));

    [Fact]
    public void RejectsARelativeRoot() =>
        Should.Throw<ArgumentException>(() => SafePath.Resolve("relative/root", "a"));

    [Theory]
    [InlineData("docs/a.txt", "docs/a.txt")]
    [InlineData("docs/", "docs")]
    [InlineData("", "")]
    [InlineData("a/./b", "a/b")]
    public void ToRelativeInvertsResolve(string full, string expected)
    {
        SafePath.ToRelative(_root, Path.Join(_root, full)).ShouldBe(expected);
        SafePath.ToRelative(_root + "/", Path.Join(_root, full)).ShouldBe(expected);
    }

    [Fact]
    public void ToRelativeRejectsPathsOutsideTheRoot()
    {
        Should.Throw<TreeException>(() => SafePath.ToRelative(_root, _secret)).Code.ShouldBe(TreeErrorCode.PathEscape);
        Should.Throw<TreeException>(() => SafePath.ToRelative(_root, _root + "2/x")).Code.ShouldBe(TreeErrorCode.PathEscape);
        Should.Throw<TreeException>(() => SafePath.ToRelative(_root, Path.Join(_root, "../secret")))
            .Code.ShouldBe(TreeErrorCode.PathEscape);
    }

    private string Escapes(string relative)
    {
        var error = Should.Throw<TreeException>(() => SafePath.Resolve(_root, relative));
        error.Code.ShouldBe(TreeErrorCode.PathEscape);
        return error.Message;
    }
}
