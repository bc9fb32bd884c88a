using Xunit.Abstractions;

namespace Grove.Tree.Redis.Tests;

public sealed class RedisBucketTests(ITestOutputHelper output) : RedisTestBase(output)
{
    [Fact]
    public async Task Write_RedisBucket_RoundTripsAndFsckConsistent()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/tmp-files", $"://redis({Key})", createMissing: true);
        var f = await Tree.WriteAsync("/tmp-files/s.bin", Bytes(200_000, 3));

        f.Bucket.ShouldBe($"redis:{Key}");
        (await Tree.ReadAllBytesAsync("/tmp-files/s.bin")).ShouldBe(Bytes(200_000, 3));
        await Tree.WriteAsync("/tmp-files/s.bin", Bytes(150_000, 4));
        (await Tree.ReadAllBytesAsync("/tmp-files/s.bin")).ShouldBe(Bytes(150_000, 4));
        (await Tree.FsckAsync()).Consistent.ShouldBeTrue();
    }

    [Fact]
    public async Task Write_OverCap_ContentTooLargeAndNothingCreated()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/tmp-files", $"://redis({Key})", createMissing: true);
        var e = await Should.ThrowAsync<TreeException>(() => Tree.WriteAsync("/tmp-files/big.bin", Bytes((1 << 20) + 1)));

        e.Code.ShouldBe(TreeErrorCode.ContentTooLarge);
        e.Status.ShouldBe(413);
        e.Message.ShouldContain($"redis({Key})");
        (await Tree.FindAsync("/tmp-files/big.bin")).ShouldBeNull();
    }

    [Fact]
    public async Task Write_CapFromSettings_Honoured()
    {
        if (Unavailable) return;

        await using var tree = await OpenTreeAsync(Settings(maxBytes: 100_000), "capped");
        await tree.MountAsync("/t", $"://redis({Key})", createMissing: true);
        await tree.WriteAsync("/t/ok.bin", Bytes(90_000));
        await Should.ThrowAsync<TreeException>(() => tree.WriteAsync("/t/no.bin", Bytes(100_001)));
    }
}
