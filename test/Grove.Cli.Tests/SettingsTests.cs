using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary>Where the data lives: --data, GROVE_DATA, the default ./grove-data, and --store.</summary>
public sealed class SettingsTests : IDisposable
{
    private readonly GroveRunner _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public async Task Init_WithoutDataOption_UsesGroveDataInWorkingFolder()
    {
        var result = (await _g.RunRawAsync(["init"])).ShouldSucceed();
        result.Out.ShouldBe($"initialized Grove data in {_g.Temp.Combine("grove-data")} (sqlite)\n");
        (await _g.RunRawAsync(["init"])).ShouldSucceed().Out.ShouldStartWith("Grove data already in ");
    }

    [Fact]
    public async Task Init_WithGroveDataVariable_UsesIt()
    {
        _g.SetEnvironment("GROVE_DATA", "elsewhere/data");
        (await _g.RunRawAsync(["init"])).ShouldSucceed();
        File.Exists(_g.Temp.Combine("elsewhere/data/index.db")).ShouldBeTrue();
        (await _g.RunRawAsync(["mkdir", "/x"])).ShouldSucceed();
    }

    [Fact]
    public async Task DataOption_BeatsVariable()
    {
        _g.SetEnvironment("GROVE_DATA", "elsewhere");
        (await _g.RunRawAsync(["init", "--data", "mine"])).ShouldSucceed();
        Directory.Exists(_g.Temp.Combine("mine")).ShouldBeTrue();
        Directory.Exists(_g.Temp.Combine("elsewhere")).ShouldBeFalse();
    }

    [Fact]
    public async Task MemStore_NeedsNoInitAndKeepsNothing()
    {
        (await _g.RunAsync("--store", "mem", "mkdir", "/x")).ShouldSucceed();
        _g.SetEnvironment("GROVE_STORE", "mem");
        (await _g.RunAsync("stat", "/x")).ShouldFail(2, "not_found");
        Directory.Exists(_g.DataPath).ShouldBeFalse();
    }

    [Fact]
    public async Task Help_PrintsUsageAndExitsZero()
    {
        var result = (await _g.RunRawAsync(["--help"])).ShouldSucceed();
        result.Out.ShouldContain("Usage:");
        result.Out.ShouldContain("mount <path> <expression>");
        result.Error.ShouldBeEmpty();
    }
}
