namespace Grove.Tree.Tests;

public sealed class TreeNamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("report.final.PDF")]
    [InlineData(".profile")]
    [InlineData("...")]
    [InlineData("名字 with spaces")]
    [InlineData("emoji-😀")]
    public void AcceptsValidNames(string name)
    {
        Should.NotThrow(() => TreeNames.ValidateName(name));
        TreeNames.IsValidName(name).ShouldBeTrue();
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "reserved")]
    [InlineData("..", "reserved")]
    [InlineData("a/b", "contains '/'")]
    [InlineData("a\0b", "contains NUL")]
    [InlineData("a\tb", "control character")]
    [InlineData("line\n", "control character")]
    [InlineData("del\u007f", "control character")]
    [InlineData("c1\u0085", "control character")]
    public void RejectsInvalidNames(string name, string expected)
    {
        var error = Should.Throw<TreeException>(() => TreeNames.ValidateName(name));

        error.Code.ShouldBe(TreeErrorCode.InvalidName);
        error.Message.ShouldContain(expected);
        TreeNames.IsValidName(name).ShouldBeFalse();
    }

    [Fact]
    public void RejectsLoneSurrogates()
    {
        var name = "bad" + (char)0xD800;

        var error = Should.Throw<TreeException>(() => TreeNames.ValidateName(name));

        error.Code.ShouldBe(TreeErrorCode.InvalidName);
        error.Message.ShouldContain("lone surrogate");
        TreeNames.IsValidName("bad" + (char)0xDC00 + "x").ShouldBeFalse();
    }

    [Fact]
    public void LimitsNamesTo255Utf8Bytes()
    {
        TreeNames.ValidateName(new string('a', 255));
        TreeNames.ValidateName(new string('名', 85)); // 255 bytes

        Should.Throw<TreeException>(() => TreeNames.ValidateName(new string('a', 256)))
            .Message.ShouldContain("256 UTF-8 bytes");
        var error = Should.Throw<TreeException>(() => TreeNames.ValidateName(new string('名', 86)));
        error.Code.ShouldBe(TreeErrorCode.InvalidName);
        error.Message.ShouldContain("258 UTF-8 bytes");
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("/./.", "/")]
    [InlineData("/a", "/a")]
    [InlineData("/a/", "/a")]
    [InlineData("//a//b///", "/a/b")]
    [InlineData("/a/./b/.", "/a/b")]
    [InlineData("/home/xiaobai/dir1", "/home/xiaobai/dir1")]
    [InlineData("/a/.../b", "/a/.../b")]
    public void Normalizes(string path, string expected)
    {
        TreeNames.Normalize(path).ShouldBe(expected);
        TreeNames.Normalize(expected).ShouldBe(expected);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/b", "not absolute")]
    [InlineData("./a", "not absolute")]
    [InlineData("/a/../b", "climbs")]
    [InlineData("/..", "climbs")]
    public void RejectsInvalidPaths(string path, string expected)
    {
        var error = Should.Throw<TreeException>(() => TreeNames.Normalize(path));

        error.Code.ShouldBe(TreeErrorCode.InvalidPath);
        error.Message.ShouldContain(expected);
        Should.Throw<TreeException>(() => TreeNames.Split(path)).Code.ShouldBe(TreeErrorCode.InvalidPath);
    }

    [Fact]
    public void Normalize_NameWithNul_ThrowsInvalidName()
    {
        var error = Should.Throw<TreeException>(() => TreeNames.Normalize("/a/b\0c"));

        error.Code.ShouldBe(TreeErrorCode.InvalidName);
        error.Message.ShouldContain("contains NUL");
    }

    [Fact]
    public void RejectsOverlongSegments()
    {
        var error = Should.Throw<TreeException>(() => TreeNames.Normalize("/a/" + new string('x', 300)));

        error.Code.ShouldBe(TreeErrorCode.InvalidName);
        error.Message.ShouldContain("300 UTF-8 bytes");
    }

    [Fact]
    public void Splits()
    {
        TreeNames.Split("/").ShouldBeEmpty();
        TreeNames.Split("/a").ShouldBe(["a"]);
        TreeNames.Split("//a/./b/c/").ShouldBe(["a", "b", "c"]);
    }

    [Theory]
    [InlineData("/", "a", "/a")]
    [InlineData("/a", "b.txt", "/a/b.txt")]
    [InlineData("//a/b/", "c", "/a/b/c")]
    public void Joins(string parent, string name, string expected) => TreeNames.Join(parent, name).ShouldBe(expected);

    [Fact]
    public void JoinValidatesBothParts()
    {
        Should.Throw<TreeException>(() => TreeNames.Join("/a", "b/c")).Code.ShouldBe(TreeErrorCode.InvalidName);
        Should.Throw<TreeException>(() => TreeNames.Join("/a", "..")).Code.ShouldBe(TreeErrorCode.InvalidName);
        Should.Throw<TreeException>(() => TreeNames.Join("a", "b")).Code.ShouldBe(TreeErrorCode.InvalidPath);
    }

    [Theory]
    [InlineData("a.txt", "txt")]
    [InlineData("Photo.JPG", "jpg")]
    [InlineData("archive.tar.gz", "gz")]
    [InlineData("README", null)]
    [InlineData(".profile", null)]
    [InlineData("trailing.", null)]
    [InlineData("..x", "x")]
    public void TypeOfIsTheLowerCaseExtension(string name, string? expected) => TreeNames.TypeOf(name).ShouldBe(expected);

    [Theory]
    [InlineData("a.txt", "text/plain")]
    [InlineData("server.LOG", "text/plain")]
    [InlineData("data.json", "application/json")]
    [InlineData("page.html", "text/html")]
    [InlineData("logo.png", "image/png")]
    [InlineData("photo.jpeg", "image/jpeg")]
    [InlineData("doc.pdf", "application/pdf")]
    [InlineData("a.csv", "text/csv")]
    [InlineData("a.zip", "application/zip")]
    [InlineData("a.unknownext", "application/octet-stream")]
    [InlineData("noext", "application/octet-stream")]
    public void MimeOfUsesTheBuiltInTable(string name, string expected) => TreeNames.MimeOf(name).ShouldBe(expected);
}
