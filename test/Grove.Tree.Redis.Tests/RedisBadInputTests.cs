using Xunit.Abstractions;

namespace Grove.Tree.Redis.Tests;

public sealed class RedisBadInputTests(ITestOutputHelper output) : RedisTestBase(output)
{
    [Theory]
    [InlineData("redis", "redis", null, "", null)]
    [InlineData("redis(tmp-files)", "redis", "tmp-files", "", null)]
    [InlineData("redis(tmp-files)://lbm(Tmp)", "redis", "tmp-files", "lbm", "Tmp")]
    [InlineData("redia", "redis", null, "", null)]
    [InlineData("redia(tmp-files)", "redis", "tmp-files", "", null)]
    [InlineData("redia(tmp-files)://lbm(Tmp)", "redis", "tmp-files", "lbm", "Tmp")]
    [InlineData("mem://redis(_)", "mem", null, "redis", "_")]
    public void Parse_SeedForms_Parse(string text, string index, string? key, string storage, string? storageSetting)
    {
        var spec = MountSpec.Parse(text, Registry);

        spec.IndexType.ShouldBe(index);
        spec.IndexSetting.ShouldBe(key);
        spec.StorageKind.ShouldBe(storage);
        spec.StorageSetting.ShouldBe(storageSetting);
    }

    [Fact]
    public async Task Mount_SeedFormWithLbm_Works()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/tmp", $"redia({Key})://lbm(Tmp)", createMissing: true);
        var f = await Tree.WriteAsync("/tmp/x.bin", Bytes(80_000));
        f.Bucket.ShouldBe("lbm:Tmp");
        (await Tree.ReadAllBytesAsync("/tmp/x.bin")).ShouldBe(Bytes(80_000));
    }

    [Fact]
    public async Task Mount_UnreachableRedis_RefusedNamingMountAndNothingCreated()
    {
        if (Unavailable) return;

        await using var tree = await OpenTreeAsync(Settings($"127.0.0.1:{ServiceProcess.FreePort()},connectTimeout=500"), "down");
        var e = await Should.ThrowAsync<TreeException>(() => tree.MountAsync("/r", "redis(sessions)", createMissing: true));

        e.Code.ShouldBe(TreeErrorCode.StorageUnavailable);
        e.Message.ShouldContain("redis(sessions)");
        (await tree.FindAsync("/r")).ShouldBeNull();
    }

    [Fact]
    public async Task Mount_NoRedisConfigured_RefusedNamingTheSetting()
    {
        if (Unavailable) return;

        await using var tree = await OpenTreeAsync([], "none");
        var e = await Should.ThrowAsync<TreeException>(() => tree.MountAsync("/r", "redis", createMissing: true));

        e.Code.ShouldBe(TreeErrorCode.InvalidMount);
        e.Message.ShouldContain("Grove:Redis:Configuration");
        (await tree.FindAsync("/r")).ShouldBeNull();
    }

    [Fact]
    public void Mongo_StaysRefusedWithReason()
    {
        var e = Should.Throw<TreeException>(() => Registry.Store("mongo"));
        e.Message.ShouldContain("no MongoDB server can be installed");
    }
}
