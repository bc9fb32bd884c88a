using System.Text.Json;
using Grove.Tree;

namespace Grove.Cli.Tests;

/// <summary>Parsing of command-line values: meta pairs, paths and ids, error lines.</summary>
public sealed class ArgumentTests
{
    [Fact]
    public void MetaArguments_Values_AreJsonWhenTheyParseElseStrings()
    {
        var values = MetaArguments.Parse(["n=42", "f=1.5", "ok=false", "list=[1,\"a\"]", "q=\"7\"", "s=Hello world", "eq=a=b", "empty=", "gone=null"]);
        values["n"].GetInt64().ShouldBe(42);
        values["f"].GetDouble().ShouldBe(1.5);
        values["ok"].ValueKind.ShouldBe(JsonValueKind.False);
        values["list"].GetArrayLength().ShouldBe(2);
        values["q"].GetString().ShouldBe("7");
        values["s"].GetString().ShouldBe("Hello world");
        values["eq"].GetString().ShouldBe("a=b");
        values["empty"].GetString().ShouldBe("");
        values["gone"].ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=5")]
    public void MetaArguments_NotAPair_IsUsageError(string pair)
    {
        var e = Should.Throw<CliException>(() => MetaArguments.Parse([pair]));
        e.ExitCode.ShouldBe(64);
        e.Code.ShouldBe("invalid_argument");
    }

    [Theory]
    [InlineData("0123456789abcdefghijklmnop", true)]
    [InlineData("0123456789abcdefghijklmnop:sub/file.txt", true)]
    [InlineData("0123456789abcdefghijklmnow", false)]
    [InlineData("/0123456789abcdefghijklmnop", false)]
    [InlineData("docs", false)]
    [InlineData("0123456789abcdefghijklmnop:", false)]
    public void TreePaths_IsId_RecognizesPlainAndTwoPartIds(string text, bool isId) => TreePaths.IsId(text).ShouldBe(isId);

    [Fact]
    public void TreePaths_Relative_IsFromRoot()
    {
        TreePaths.Of("docs/a").ShouldBe("/docs/a");
        TreePaths.Of("/docs/a").ShouldBe("/docs/a");
        TreePaths.NameOf("/docs/a.txt").ShouldBe("a.txt");
        TreePaths.NameOf("/").ShouldBe("");
    }

    [Fact]
    public void ErrorReporter_UnexpectedException_IsInternalErrorWithoutStackTrace()
    {
        using var err = new StringWriter();
        var host = new CliHost { Out = TextWriter.Null, Error = err, Environment = _ => null };
        ErrorReporter.Report(host, new InvalidOperationException("boom\nsecond line"), CancellationToken.None).ShouldBe(70);
        err.ToString().ShouldBe("grove: internal error: InvalidOperationException: boom second line\n");
    }

    [Theory]
    [InlineData(TreeErrorCode.StoreLocked, 3)]
    [InlineData(TreeErrorCode.LockTimeout, 3)]
    [InlineData(TreeErrorCode.NotFound, 2)]
    [InlineData(TreeErrorCode.HandleBusy, 2)]
    [InlineData(TreeErrorCode.MountUnsupported, 2)]
    public void ErrorReporter_TreeCodes_MapToExitCodes(string code, int exit)
    {
        using var err = new StringWriter();
        var host = new CliHost { Out = TextWriter.Null, Error = err, Environment = _ => null };
        ErrorReporter.Report(host, new TreeException(code, "msg"), CancellationToken.None).ShouldBe(exit);
        err.ToString().ShouldBe($"grove: {code}: msg\n");
    }
}
