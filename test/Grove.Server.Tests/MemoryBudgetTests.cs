using System.Net;
using System.Text.Json;
using Grove.Server.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Tests;

/// <summary>Issue 12, defect 11 (memory under load): where the memory is, and the GC mode the server ships with.</summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task AdminMemory_Admin_ShowsResidentSetAndManagedHeap()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = await server.AdminAsync();

        using var doc = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/admin/memory"));

        var root = doc.RootElement;
        root.GetProperty("residentBytes").GetInt64().ShouldBeGreaterThan(0);
        root.GetProperty("managedHeapBytes").GetInt64().ShouldBeGreaterThan(0);
        root.GetProperty("generations").EnumerateArray().Select(g => g.GetProperty("name").GetString()).ShouldContain("loh");
    }

    [Fact]
    public async Task AdminMemory_NotAdmin_Forbidden()
    {
        await using var server = await RunningServer.StartAsync();
        using var user = await server.UserAsync("mia");

        using var answer = await user.GetAsync("/api/v1/admin/memory");

        answer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task IdleTrim_LoadStops_CollectsTrimsTheStoreAndShowsIt()
    {
        await using var server = await RunningServer.StartAsync(o => o with { IdleTrimAfter = TimeSpan.FromMilliseconds(200), IdleTrimMinGrowthBytes = 0 });
        using var admin = await server.AdminAsync();
        var trimmer = server.Server.Services.GetRequiredService<IdleTrimmer>();
        var before = trimmer.Trims;
        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
            (await admin.PutAsync($"/api/v1/files/trim/f{i}.txt", new StringContent("content " + i))).EnsureSuccessStatusCode()));

        await Eventually.HoldsAsync(() => Task.FromResult(trimmer.Trims > before), "an idle trim after the writes");

        (await admin.GetStringAsync("/api/v1/files/trim/f7.txt")).ShouldBe("content 7", "the store reads after its trim");
        using var doc = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/admin/memory"));
        var trim = doc.RootElement.GetProperty("idleTrim");
        trim.GetProperty("trims").GetInt32().ShouldBeGreaterThan(0);
        trim.GetProperty("last").GetProperty("residentAfter").GetInt64().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task IdleTrim_StillIdleAfterThePoolsWindow_RunsOneMorePass()
    {
        await using var server = await RunningServer.StartAsync(o => o with
        {
            IdleTrimAfter = TimeSpan.FromMilliseconds(200), IdleTrimMinGrowthBytes = 0, IdleTrimPoolsAfter = TimeSpan.FromMilliseconds(300),
        });
        using var admin = await server.AdminAsync();
        var trimmer = server.Server.Services.GetRequiredService<IdleTrimmer>();
        var before = trimmer.Trims;
        (await admin.PutAsync("/api/v1/files/pools/a.txt", new StringContent(new string('a', 100_000)))).EnsureSuccessStatusCode();

        await Eventually.HoldsAsync(() => Task.FromResult(trimmer.Trims >= before + 2), "the idle trim and, still idle, the pools' pass");

        (await admin.GetStringAsync("/api/v1/files/pools/a.txt")).Length.ShouldBe(100_000);
    }

    [Fact]
    public async Task IdleTrim_TurnedOff_NeverTrims()
    {
        await using var server = await RunningServer.StartAsync(o => o with { IdleTrimAfter = TimeSpan.Zero, IdleTrimMinGrowthBytes = 0 });
        using var admin = await server.AdminAsync();
        (await admin.PutAsync("/api/v1/files/a.txt", new StringContent("a"))).EnsureSuccessStatusCode();

        using var doc = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/admin/memory"));

        doc.RootElement.GetProperty("idleTrim").GetProperty("trims").GetInt32().ShouldBe(0);
        doc.RootElement.GetProperty("idleTrim").GetProperty("afterSeconds").GetDouble().ShouldBe(0);
    }

    [Fact]
    public void MemoryUnderLoad_ServerProgram_RunsWorkstationGc()
    {
        // Note that Server GC kept about twice the heap committed after a burst on two cores (docs/benchmarks.md).
        var config = Path.Combine(AppContext.BaseDirectory, "Grove.Server.runtimeconfig.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(config));

        var properties = doc.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        properties.GetProperty("System.GC.Server").GetBoolean().ShouldBeFalse();
        properties.GetProperty("System.GC.Concurrent").GetBoolean().ShouldBeTrue();
        properties.GetProperty("System.Runtime.TieredCompilation.QuickJit").GetBoolean().ShouldBeFalse("a cold load's quick-JIT copies stayed resident");
    }
}
