using System.Net;
using System.Text.Json;

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
    public void MemoryUnderLoad_ServerProgram_RunsWorkstationGc()
    {
        // Note that Server GC kept about twice the heap committed after a burst on two cores (docs/benchmarks.md).
        var config = Path.Combine(AppContext.BaseDirectory, "Grove.Server.runtimeconfig.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(config));

        var properties = doc.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        properties.GetProperty("System.GC.Server").GetBoolean().ShouldBeFalse();
        properties.GetProperty("System.GC.Concurrent").GetBoolean().ShouldBeTrue();
    }
}
