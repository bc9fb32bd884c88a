using System.Text.Json;
using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary>put, get and cat: stdin and stdout, default names, atomic downloads, progress bars.</summary>
public sealed class TransferTests : IDisposable
{
    private readonly GroveRunner _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public async Task Put_FromStdin_StoresTheBytes()
    {
        await InitAsync();
        (await _g.RunWithInputAsync(GroveRunner.Utf8("from stdin ✓"), "put", "-", "/in/s.txt")).ShouldSucceed();
        (await _g.RunAsync("get", "/in/s.txt", "-")).ShouldSucceed().Out.ShouldBe("from stdin ✓");
    }

    [Fact]
    public async Task Put_StdinIntoDirectory_FailsWithIsADirectory()
    {
        await InitAsync();
        await _g.RunAsync("mkdir", "/in");
        (await _g.RunWithInputAsync(GroveRunner.Utf8("x"), "put", "-", "/in")).ShouldFail(2, "is_a_directory");
    }

    [Fact]
    public async Task Get_WithoutLocalName_SavesUnderItsNameInWorkingFolder()
    {
        await InitAsync();
        await _g.RunWithInputAsync(GroveRunner.Utf8("report"), "put", "-", "/docs/report.txt");
        (await _g.RunAsync("get", "/docs/report.txt")).ShouldSucceed();
        File.ReadAllText(_g.Temp.Combine("report.txt")).ShouldBe("report");
    }

    [Fact]
    public async Task Get_OverExistingFile_ReplacesItAndLeavesNoTempFiles()
    {
        await InitAsync();
        var big = _g.RandomFile("src/big.bin", 3 * 1024 * 1024);
        (await _g.RunAsync("put", big, "/big.bin")).ShouldSucceed();
        var dest = _g.TextFile("out/big.bin", "old");
        var saved = Parse((await _g.RunAsync("get", "/big.bin", dest, "--json")).ShouldSucceed().Out);
        saved.GetProperty("saved").GetString().ShouldBe(dest);
        saved.GetProperty("object").GetProperty("len").GetInt64().ShouldBe(3 * 1024 * 1024);
        File.ReadAllBytes(dest).ShouldBe(File.ReadAllBytes(big));
        Directory.GetFiles(Path.GetDirectoryName(dest)!).ShouldBe([dest]);
    }

    [Fact]
    public async Task WriteAtomic_WriterFails_KeepsOldTargetAndRemovesTemp()
    {
        var dir = _g.Temp.Dir("atomic");
        var target = Path.Join(dir, "file.bin");
        File.WriteAllText(target, "old content");
        await Should.ThrowAsync<InvalidOperationException>(() => LocalFiles.WriteAtomicAsync(target, async s =>
        {
            await s.WriteAsync(new byte[1000]);
            throw new InvalidOperationException("interrupted");
        }));
        File.ReadAllText(target).ShouldBe("old content");
        Directory.GetFiles(dir).ShouldBe([target]);
    }

    [Fact]
    public async Task Get_Cancelled_Exits130AndWritesNothing()
    {
        await InitAsync();
        var big = _g.RandomFile("big.bin", 2 * 1024 * 1024);
        (await _g.RunAsync("put", big, "/big.bin")).ShouldSucceed();
        var dir = _g.Temp.Dir("cancelled");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var host = new CliHost { Out = stdout, Error = stderr, WorkingDirectory = _g.Temp.Path, Environment = _ => null };
        var code = await GroveCli.RunAsync(["--data", _g.DataPath, "get", "/big.bin", dir], host, cts.Token);
        code.ShouldBe(130);
        stderr.ToString().ShouldBe("grove: cancelled\n");
        Directory.GetFiles(dir).ShouldBeEmpty();
    }

    [Fact]
    public async Task PutAndGet_OverThresholdOnTerminal_DrawProgressOnStderrOnly()
    {
        await InitAsync();
        _g.ErrorIsTerminal = true;
        _g.ProgressThreshold = 64 * 1024;
        var big = _g.RandomFile("p.bin", 512 * 1024);
        var put = (await _g.RunAsync("put", big, "/p.bin")).ShouldSucceed();
        put.Lines.Count.ShouldBe(1);
        put.Out.ShouldStartWith("/p.bin  512.0 KiB  sha256:");
        put.Error.ShouldContain("put p.bin");
        put.Error.ShouldContain("512.0 KiB/512.0 KiB", Case.Sensitive, "the bar counts in the units of the result line");
        put.Error.ShouldNotContain("KB");
        var get = (await _g.RunAsync("get", "/p.bin", "back.bin")).ShouldSucceed();
        get.Error.ShouldContain("get p.bin");
        File.ReadAllBytes(_g.Temp.Combine("back.bin")).ShouldBe(File.ReadAllBytes(big));
    }

    [Fact]
    public async Task Put_JsonOnTerminal_DrawsNoProgress()
    {
        await InitAsync();
        _g.ErrorIsTerminal = true;
        _g.ProgressThreshold = 1024;
        var big = _g.RandomFile("p.bin", 64 * 1024);
        var put = (await _g.RunAsync("put", big, "/p.bin", "--json")).ShouldSucceed();
        put.Error.ShouldBeEmpty();
        Parse(put.Out).GetProperty("len").GetInt64().ShouldBe(64 * 1024);
    }

    [Fact]
    public async Task Put_SmallFileOnTerminal_DrawsNoProgress()
    {
        await InitAsync();
        _g.ErrorIsTerminal = true;
        var small = _g.RandomFile("s.bin", 64 * 1024);
        (await _g.RunAsync("put", small, "/s.bin")).ShouldSucceed().Error.ShouldBeEmpty();
    }

    private async Task InitAsync() => (await _g.RunAsync("init")).ShouldSucceed();

    private static JsonElement Parse(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
