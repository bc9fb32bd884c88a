using Grove.Cli.Tests.Infrastructure;
using Grove.Tree;

namespace Grove.Cli.Tests;

/// <summary>Bad input and refused operations: one line on stderr, the documented exit code, no stack trace.</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly GroveRunner _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public async Task Mkdir_NameOver255Bytes_FailsWithInvalidName()
    {
        await InitAsync();
        (await _g.RunAsync("mkdir", "/" + new string('a', 300))).ShouldFail(2, "invalid_name");
    }

    [Theory]
    [InlineData("stat", "/a/../b")]
    [InlineData("mkdir", "/x/..")]
    [InlineData("ls", "..")]
    public async Task Command_PathClimbing_FailsWithInvalidPath(string verb, string path)
    {
        await InitAsync();
        (await _g.RunAsync(verb, path)).ShouldFail(2, "invalid_path");
    }

    [Fact]
    public async Task Put_DotDotTarget_FailsWithInvalidPath()
    {
        await InitAsync();
        var local = _g.TextFile("x.txt", "x");
        (await _g.RunAsync("put", local, "/a/../../etc/x.txt")).ShouldFail(2, "invalid_path");
    }

    [Fact]
    public async Task Serve_LockedDataFolder_ExitsThreeLikeInit()
    {
        // Regression: the same store_locked exited 3 from grove init and 2 from grove serve.
        await InitAsync();
        await using (await TreeService.OpenAsync(new TreeOptions { DataPath = _g.DataPath }))
        {
            (await _g.RunAsync("init")).ShouldFail(3, "store_locked");
            (await _g.RunAsync("serve", "--urls", "http://127.0.0.1:0")).ExitCode.ShouldBe(3);
        }
    }

    [Fact]
    public async Task UnknownVerb_FailsWithOneUsageLine()
    {
        var result = await _g.RunAsync("frobnicate");
        result.ExitCode.ShouldBe(64);
        result.ErrorLines.ShouldBe(["grove: usage: Unrecognized command or argument 'frobnicate' (see 'grove --help')"]);
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task MissingArgument_FailsWithOneUsageLine()
    {
        var result = await _g.RunAsync("mv", "/a");
        result.ExitCode.ShouldBe(64);
        result.ErrorLines.Count.ShouldBe(1);
        result.ErrorLines[0].ShouldStartWith("grove: usage: ");
    }

    [Fact]
    public async Task Mkdir_WithoutParents_NeedsParentAndRefusesExisting()
    {
        await InitAsync();
        (await _g.RunAsync("mkdir", "/a/b")).ShouldFail(2, "not_found");
        (await _g.RunAsync("mkdir", "/a")).ShouldSucceed();
        (await _g.RunAsync("mkdir", "/a")).ShouldFail(2, "already_exists");
        (await _g.RunAsync("mkdir", "-p", "/a")).ShouldSucceed();
        (await _g.RunAsync("mkdir", "/a/b")).ShouldSucceed();
    }

    [Fact]
    public async Task AnyCommand_WhileAnotherProcessHoldsTheFolder_Exits3StoreLocked()
    {
        await InitAsync();
        await using var holder = await TreeService.OpenAsync(new TreeOptions { DataPath = _g.DataPath });
        var result = await _g.RunAsync("ls");
        result.ShouldFail(3, "store_locked");
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Ls_BeforeInit_FailsWithNotInitialized()
    {
        (await _g.RunAsync("ls")).ShouldFail(2, "not_initialized");
        Directory.Exists(_g.DataPath).ShouldBeFalse();
    }

    [Fact]
    public async Task Put_MissingLocalFile_FailsWithIoError()
    {
        await InitAsync();
        (await _g.RunAsync("put", "no-such-file", "/x")).ShouldFail(74, "io_error");
    }

    [Fact]
    public async Task MetaSet_PairWithoutEquals_IsUsageError()
    {
        await InitAsync();
        await _g.RunAsync("mkdir", "/a");
        (await _g.RunAsync("meta", "set", "/a", "novalue")).ShouldFail(64, "invalid_argument");
    }

    [Fact]
    public async Task MetaSet_BuiltInKey_FailsWithInvalidMeta()
    {
        await InitAsync();
        await _g.RunAsync("mkdir", "/a");
        (await _g.RunAsync("meta", "set", "/a", "len=5")).ShouldFail(2, "invalid_meta");
    }

    [Fact]
    public async Task MetaGet_MissingKey_FailsWithNotFound()
    {
        await InitAsync();
        await _g.RunAsync("mkdir", "/a");
        (await _g.RunAsync("meta", "get", "/a", "nothing")).ShouldFail(2, "not_found");
    }

    [Theory]
    [InlineData("cat")]
    [InlineData("get")]
    public async Task ReadingContent_OfDirectory_FailsWithIsADirectory(string verb)
    {
        await InitAsync();
        await _g.RunAsync("mkdir", "/a");
        (await _g.RunAsync(verb, "/a")).ShouldFail(2, "is_a_directory");
    }

    [Fact]
    public async Task Mv_IntoItself_FailsWithConflict()
    {
        await InitAsync();
        await _g.RunAsync("mkdir", "-p", "/a/b");
        (await _g.RunAsync("mv", "/a", "/a/b")).ShouldFail(2, "conflict");
    }

    [Fact]
    public async Task Unmount_PlainDirectory_FailsWithInvalidMount()
    {
        await InitAsync();
        await _g.RunAsync("mkdir", "/a");
        (await _g.RunAsync("unmount", "/a")).ShouldFail(2, "invalid_mount");
    }

    [Fact]
    public async Task UnknownStore_IsUsageError()
    {
        (await _g.RunAsync("--store", "oracle", "ls")).ShouldFail(64, "invalid_argument");
    }

    [Fact]
    public async Task TreeError_WithDebug_AddsStackTrace()
    {
        await InitAsync();
        _g.SetEnvironment("GROVE_DEBUG", "1");
        var result = await _g.RunAsync("stat", "/missing");
        result.ExitCode.ShouldBe(2);
        result.ErrorLines[0].ShouldStartWith("grove: not_found: ");
        result.Error.ShouldContain("   at ");
    }

    private async Task InitAsync() => (await _g.RunAsync("init")).ShouldSucceed();
}
