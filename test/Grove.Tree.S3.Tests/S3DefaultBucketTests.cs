using Xunit.Abstractions;

namespace Grove.Tree.S3.Tests;

public sealed class S3DefaultBucketTests(ITestOutputHelper output) : S3TestBase(output)
{
    protected override string? DefaultBucket => "s3(media)";

    [Fact]
    public async Task Write_DefaultBucketS3_TwoNodesShareContent()
    {
        if (Unavailable) return;

        var f = await Tree.WriteAsync("/docs/report.bin", Bytes(150_000, 9));
        f.Bucket.ShouldBeNull();
        (await KeysAsync()).Count.ShouldBe(1);

        // Another node with its own data folder reads the same object-store content by hash.
        await using var other = await OpenTreeAsync(Settings(), Folder.Combine("other"));
        await other.WriteAsync("/copy.bin", Bytes(150_000, 9));
        (await KeysAsync()).Count.ShouldBe(1);
        (await other.ReadAllBytesAsync("/copy.bin")).ShouldBe(Bytes(150_000, 9));
    }

    [Fact]
    public async Task Write_TenPutsOfSameLargeContent_UploadOnce()
    {
        if (Unavailable) return;

        var content = Bytes(11 << 20, 4);
        for (var i = 0; i < 10; i++)
        {
            await Tree.WriteAsync($"/same/{i}.bin", content);
        }

        (await KeysAsync()).Count.ShouldBe(1);
        (await Tree.ReadAllBytesAsync("/same/9.bin")).ShouldBe(content);
    }
}
