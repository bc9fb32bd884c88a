using Amazon.S3.Model;
using Xunit.Abstractions;

namespace Grove.Tree.S3.Tests;

public sealed class S3MountTests(ITestOutputHelper output) : S3TestBase(output)
{
    [Fact]
    public async Task Write_AliyunOssMount_StoresContentAddressedKeyAndReadsBack()
    {
        if (Unavailable) return;

        await Tree.MkdirAsync("/media");
        await Tree.MountAsync("/media", "://aliyunoss(media)");
        var f = await Tree.WriteAsync("/media/a.bin", Bytes(200_000));

        f.Bucket.ShouldBe("s3:media");
        (await KeysAsync()).ShouldBe([$"grove/{f.Sha256![..4]}/{f.Sha256[4..]}"]);
        (await Tree.ReadAllBytesAsync("/media/a.bin")).ShouldBe(Bytes(200_000));
    }

    [Fact]
    public async Task Write_SameContentTwiceUnderBothSpellings_UploadsOnce()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/a", "mem://s3(media)", createMissing: true);
        await Tree.MountAsync("/b", "aliyunoss(media)", createMissing: true);
        var one = await Tree.WriteAsync("/a/x.bin", Bytes(300_000, 7));
        var two = await Tree.WriteAsync("/b/y.bin", Bytes(300_000, 7));

        two.Sha256.ShouldBe(one.Sha256);
        two.Bucket.ShouldBe(one.Bucket);
        (await KeysAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Write_OverPartSize_UploadsInPartsAndReadsRanges()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/big", "s3(media)", createMissing: true);
        var content = Bytes(12 << 20, 3);
        await using (var source = new MemoryStream(content))
        {
            await Tree.WriteAsync("/big/f.bin", source);
        }

        (await Tree.ReadAllBytesAsync("/big/f.bin")).ShouldBe(content);
        await using var read = await Tree.OpenReadAsync("/big/f.bin");
        read.Seek(7_000_000, SeekOrigin.Begin);
        var part = new byte[100_000];
        await read.ReadExactlyAsync(part);
        part.ShouldBe(content.AsSpan(7_000_000, 100_000).ToArray());
        read.Seek(10, SeekOrigin.Begin);
        var head = new byte[10];
        await read.ReadExactlyAsync(head);
        head.ShouldBe(content.AsSpan(10, 10).ToArray());
    }

    [Fact]
    public async Task Fsck_OrphanInObjectStore_RemovedOnlyAfterGrace()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/m", "s3(media)", createMissing: true);
        await Tree.WriteAsync("/m/kept.bin", Bytes(100_000, 1));
        var orphan = new string('a', 64);
        await Raw.PutObjectAsync(new PutObjectRequest { BucketName = BucketName, Key = $"grove/{orphan[..4]}/{orphan[4..]}", ContentBody = "orphan", UseChunkEncoding = false });

        var young = await Tree.FsckAsync();
        (await KeysAsync()).Count.ShouldBe(2);
        young.Consistent.ShouldBeTrue();

        await Tree.DisposeAsync();
        var time = new ManualTime();
        time.Advance(TimeSpan.FromHours(2));
        Tree = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = Folder.Combine("data"),
            Storage = Registry,
            Settings = Settings(),
            ReclaimInterval = TimeSpan.Zero,
            Time = time,
        });
        await Tree.FsckAsync();

        var keys = await KeysAsync();
        keys.Count.ShouldBe(1);
        keys.ShouldNotContain($"grove/{orphan[..4]}/{orphan[4..]}");
        (await Tree.ReadAllBytesAsync("/m/kept.bin")).ShouldBe(Bytes(100_000, 1));
    }

    [Theory]
    [InlineData("://aliyunoss(media)")]
    [InlineData("mem://s3(x)")]
    [InlineData("dao(abc/t_news)://aliyunoss")]
    [InlineData("dao(abc/t_news)://aliyunoss(news-data)")]
    [InlineData("mq(notify)://aliyunoss")]
    public void Parse_SeedForms_Parse(string expression)
    {
        var spec = MountSpec.Parse(expression, Registry);
        new[] { "s3", "aliyunoss" }.ShouldContain(spec.StorageKind);
    }
}
