using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Xunit.Abstractions;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests.Outage;

/// <summary>
/// Standing check (issue 12): the data folder on a small size-limited file system (tmpfs, mounted by the test as
/// root). Writes that do not fit answer 507 <c>insufficient_storage</c> and change nothing; once space is freed
/// everything works and fsck is clean.
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private string? _mount;

    public Task InitializeAsync()
    {
        var dir = _folder.Dir("small");
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            Skip("mounting a tmpfs needs root on Linux");
            return Task.CompletedTask;
        }

        var result = ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", dir], TimeSpan.FromSeconds(20), check: false);
        if (result.ExitCode != 0)
        {
            Skip($"mount -t tmpfs failed: {result.Output}");
            return Task.CompletedTask;
        }

        _mount = dir;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (_mount is not null)
        {
            ProcessRunner.Run("umount", ["-l", _mount], TimeSpan.FromSeconds(20), check: false);
        }

        _folder.Dispose();
        return Task.CompletedTask;
    }

    private void Skip(string reason)
    {
        if (PostgresServer.IsCi)
        {
            throw new InvalidOperationException($"the disk-full check must run under CI=true (as root): {reason}");
        }

        output.WriteLine("Skipped: " + reason);
    }

    [Fact]
    public async Task WritesOnAFullDisk_Answer507AndChangeNothing_ThenWorkOnceSpaceIsFreed()
    {
        if (_mount is null) return;
        var data = Path.Join(_mount, "data");
        await using var server = await RunningServer.StartAsync(data: data);
        var admin = await server.AdminAsync();
        var before = RandomNumberGenerator.GetBytes(100_000);
        (await admin.PutAsync("/api/v1/files/keep/before.bin", new ByteArrayContent(before))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var task = await (await admin.PostAsync("/api/v1/logs", Json("""{"name":"full"}"""))).JsonAsync(HttpStatusCode.Created);
        var taskId = task.Str("id");

        // An upload bigger than the whole file system.
        var huge = RandomNumberGenerator.GetBytes(12 << 20);
        await (await admin.PutAsync("/api/v1/files/full/huge.bin", new ByteArrayContent(huge))).ProblemAsync(HttpStatusCode.InsufficientStorage, "insufficient_storage");
        (await admin.GetAsync("/api/v1/stat/full/huge.bin")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync("/api/v1/stat/full")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a refused upload leaves no parent behind");

        // Fill what is left, then try every kind of write.
        var ballast = Path.Join(_mount, "ballast");
        Fill(ballast);
        var upload = RandomNumberGenerator.GetBytes(600_000);
        await (await admin.PutAsync("/api/v1/files/keep/after.bin", new ByteArrayContent(upload))).ProblemAsync(HttpStatusCode.InsufficientStorage, "insufficient_storage");
        await (await admin.PutAsync("/api/v1/files/keep/before.bin", new ByteArrayContent(upload))).ProblemAsync(HttpStatusCode.InsufficientStorage, "insufficient_storage");
        var config = new string('c', 90_000) + RandomNumberGenerator.GetHexString(8_000);
        await (await admin.PutAsync("/api/v1/config/items/FULL/app.yaml", Json(JsonSerializer.Serialize(new { content = config })))).ProblemAsync(HttpStatusCode.InsufficientStorage, "insufficient_storage");
        var lines = Enumerable.Range(0, 4_000).Select(i => new { n = i, t = 1_767_225_600_000 + i, text = RandomNumberGenerator.GetHexString(200) }).ToArray();
        await (await admin.PostAsync($"/api/v1/logs/{taskId}/lines", Json(JsonSerializer.Serialize(new { lines })))).ProblemAsync(HttpStatusCode.InsufficientStorage, "insufficient_storage");

        // Nothing changed, and reads are still served.
        (await admin.GetByteArrayAsync("/api/v1/files/keep/before.bin")).ShouldBe(before);
        (await admin.GetAsync("/api/v1/stat/keep/after.bin")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync("/api/v1/config/items/FULL/app.yaml")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await admin.GetAsync($"/api/v1/logs/{taskId}/lines")).JsonAsync()).GetProperty("lines").GetArrayLength().ShouldBe(0);
        Directory.EnumerateFiles(Path.Join(data, "swap"), "*", SearchOption.AllDirectories).ShouldBeEmpty("no partial upload is left in swap/");

        // Space freed: everything works, fsck is clean.
        File.Delete(ballast);
        (await admin.PutAsync("/api/v1/files/keep/after.bin", new ByteArrayContent(upload))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.GetByteArrayAsync("/api/v1/files/keep/after.bin")).ShouldBe(upload);
        (await admin.PutAsync("/api/v1/config/items/FULL/app.yaml", Json(JsonSerializer.Serialize(new { content = config })))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsync($"/api/v1/logs/{taskId}/lines", Json(JsonSerializer.Serialize(new { lines })))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var report = await server.Server.Tree.FsckAsync();
        report.Dangling.ShouldBeEmpty();
        report.CountMismatches.ShouldBeEmpty();
        report.Consistent.ShouldBeTrue();
    }

    [Fact]
    public async Task UploadOnAFullDisk_Answered500_Answers507InsufficientStorage()
    {
        if (_mount is null) return;
        await using var server = await RunningServer.StartAsync(data: Path.Join(_mount, "data"));
        var admin = await server.AdminAsync();
        await (await admin.PutAsync("/api/v1/files/huge.bin", new ByteArrayContent(new byte[10 << 20]))).ProblemAsync(HttpStatusCode.InsufficientStorage, "insufficient_storage");
    }

    [Fact]
    public async Task ConfigPublishOnAFullDisk_WasTakenForAStoreOutage_Answers507AndTheStoreStaysAvailable()
    {
        if (_mount is null) return;
        await using var server = await RunningServer.StartAsync(data: Path.Join(_mount, "data"));
        var admin = await server.AdminAsync();
        var ballast = Path.Join(_mount, "ballast");
        Fill(ballast);
        var config = RandomNumberGenerator.GetHexString(98_000);
        await (await admin.PutAsync("/api/v1/config/items/FULL/app.yaml", Json(JsonSerializer.Serialize(new { content = config })))).ProblemAsync(HttpStatusCode.InsufficientStorage, "insufficient_storage");
        server.Server.ConfigCenter.IsStoreAvailable.ShouldBeTrue("a full disk is not an outage of the store");
        File.Delete(ballast);
        (await admin.PutAsync("/api/v1/config/items/FULL/app.yaml", Json(JsonSerializer.Serialize(new { content = config })))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    /// <summary>Writes a file until the file system refuses more.</summary>
    private static void Fill(string path)
    {
        var block = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }

        for (var size = 4096; size > 0; size /= 2)
        {
            try
            {
                file.Write(block.AsSpan(0, size));
            }
            catch (IOException)
            {
                // Full at this size too.
            }
        }
    }
}
