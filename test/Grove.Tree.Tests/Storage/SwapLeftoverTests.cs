namespace Grove.Tree.Tests.Storage;

/// <summary>Partial uploads left in <c>swap/</c> by a crash (issue 12 #15): removed when the next process opens the folder.</summary>
public sealed class SwapLeftoverTests
{
    [Fact]
    public async Task PartialUploadLeftInSwap_AfterCrash_RemovedWhenTheFolderOpens()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        await using (var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = data }))
        {
            await tree.WriteAsync("/kept.bin", new MemoryStream(new byte[300_000]), new PutOptions());
        }

        // What a process killed mid-upload leaves: a spilled swap file nobody will finish.
        var swap = Path.Combine(data, "swap");
        var leftover = Path.Combine(swap, "0123456789abcdef");
        await File.WriteAllBytesAsync(leftover, new byte[100_000]);

        await using (var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = data }))
        {
            File.Exists(leftover).ShouldBeFalse();
            Directory.EnumerateFiles(swap).ShouldBeEmpty();
            (await tree.ReadAllBytesAsync("/kept.bin")).Length.ShouldBe(300_000);
            (await tree.FsckAsync()).Consistent.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task SwapFile_OfAWriteInFlight_KeptWhileAnotherTreeSharesTheFolderUnlocked()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        await using var first = await TreeService.OpenAsync(new TreeOptions { DataPath = data, LockDataFolder = false });
        var inFlight = Path.Combine(data, "swap", "fedcba9876543210");
        await File.WriteAllBytesAsync(inFlight, new byte[10]);

        // Note that without the folder's lock a second tree cannot know the swap file is abandoned.
        await using var second = await TreeService.OpenAsync(new TreeOptions { DataPath = data, LockDataFolder = false });

        File.Exists(inFlight).ShouldBeTrue();
    }
}
