using System.Security.Cryptography;

namespace Grove.Client.Tests;

/// <summary>Uploads and downloads: streaming, hashes, ranges, conditional requests, progress.</summary>
public sealed class ContentTests(Xunit.Abstractions.ITestOutputHelper output) : ClientTestBase
{
    [Fact]
    public async Task UploadAsync_ThenDownloadAsync_RoundTripsBytesAndHash()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var reported = new List<long>();

        var o = await Admin.UploadAsync("/files/a.bin", new MemoryStream(bytes), new GroveUploadOptions { Progress = new SyncProgress(reported.Add) });

        o.Sha256.ShouldBe(sha);
        o.Length.ShouldBe(bytes.Length);
        o.Path.ShouldBe("/files/a.bin");
        o.Creator.ShouldBe("admin");
        reported.ShouldNotBeEmpty();
        reported[^1].ShouldBe(bytes.Length);
        using var copy = new MemoryStream();
        var info = await Admin.DownloadAsync("/files/a.bin", copy);
        copy.ToArray().ShouldBe(bytes);
        info.Sha256.ShouldBe(sha);
        info.Length.ShouldBe(bytes.Length);
        info.IsPartial.ShouldBeFalse();
    }

    [Fact]
    public async Task UploadAsync_ContentType_IsRecordedAsMimeAndServedBack()
    {
        await Admin.UploadAsync("/t/page", new MemoryStream("<p>hi</p>"u8.ToArray()), new GroveUploadOptions { ContentType = "text/html" });

        (await Admin.StatAsync("/t/page")).Mime.ShouldBe("text/html");
        await using var download = await Admin.OpenReadAsync("/t/page");
        download.Info.ContentType.ShouldBe("text/html");
        (await new StreamReader(download.Content).ReadToEndAsync()).ShouldBe("<p>hi</p>");
    }

    [Fact]
    public async Task OpenReadAsync_RangeAndIfNoneMatch_AnswerPartialAndNotModified()
    {
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var o = await Admin.UploadAsync("/r.bin", new MemoryStream(bytes));

        await using (var part = await Admin.OpenReadAsync("/r.bin", new GroveDownloadOptions { RangeFrom = 1000, RangeTo = 1999 }))
        {
            part.Info.IsPartial.ShouldBeTrue();
            part.Info.RangeFrom.ShouldBe(1000);
            part.Info.RangeTo.ShouldBe(1999);
            part.Info.TotalLength.ShouldBe(bytes.Length);
            using var copy = new MemoryStream();
            await part.Content.CopyToAsync(copy);
            copy.ToArray().ShouldBe(bytes[1000..2000]);
        }

        using var tail = new MemoryStream();
        (await Admin.DownloadAsync("/r.bin", tail, new GroveDownloadOptions { RangeFrom = 99_990 })).Length.ShouldBe(10);
        tail.ToArray().ShouldBe(bytes[99_990..]);

        await using (var cached = await Admin.OpenReadAsync("/r.bin", new GroveDownloadOptions { IfNoneMatch = o.Sha256 }))
        {
            cached.Info.NotModified.ShouldBeTrue();
            cached.Content.ReadByte().ShouldBe(-1);
        }

        await ShouldBeRefusedAsync(() => Admin.OpenReadAsync("/r.bin", new GroveDownloadOptions { RangeFrom = 500_000 }), 416, GroveErrorCode.RangeNotSatisfiable);
    }

    [Fact]
    public async Task GetContentInfoAsync_Head_GivesHashAndLengthWithoutBody()
    {
        var o = await Admin.UploadAsync("/h.txt", new MemoryStream("hello"u8.ToArray()));

        var info = await Admin.GetContentInfoAsync("/h.txt");

        info.Sha256.ShouldBe(o.Sha256);
        info.Length.ShouldBe(5);
        info.LastModified.ShouldNotBeNull();
        await ShouldBeRefusedAsync(() => Admin.GetContentInfoAsync("/missing.txt"), 404, GroveErrorCode.NotFound);
    }

    [Fact]
    public async Task UploadAsync_CreateOnly_RefusesAnExistingFile()
    {
        var first = await Admin.UploadAsync("/create-only.txt", new MemoryStream("one"u8.ToArray()), new GroveUploadOptions { CreateOnly = true });

        await ShouldBeRefusedAsync(
            () => Admin.UploadAsync("/create-only.txt", new MemoryStream("two"u8.ToArray()), new GroveUploadOptions { CreateOnly = true }),
            409, GroveErrorCode.AlreadyExists);

        using var now = new MemoryStream();
        (await Admin.DownloadAsync("/create-only.txt", now)).Sha256.ShouldBe(first.Sha256);
    }

    [Fact]
    public async Task UploadAsync_IfMatch_SwapsOnlyWhenTheHashIsCurrent()
    {
        var v1 = await Admin.UploadAsync("/cas.txt", new MemoryStream("v1"u8.ToArray()));
        var v2 = await Admin.UploadAsync("/cas.txt", new MemoryStream("v2"u8.ToArray()), new GroveUploadOptions { IfMatch = v1.Sha256 });

        var e = await ShouldBeRefusedAsync(
            () => Admin.UploadAsync("/cas.txt", new MemoryStream("v3"u8.ToArray()), new GroveUploadOptions { IfMatch = v1.Sha256 }),
            409, GroveErrorCode.Conflict);

        e.IsConflict.ShouldBeTrue();
        using var now = new MemoryStream();
        (await Admin.DownloadAsync("/cas.txt", now)).Sha256.ShouldBe(v2.Sha256);
        now.ToArray().ShouldBe("v2"u8.ToArray());
        (await Admin.UploadAsync("/cas.txt", new MemoryStream("v4"u8.ToArray()), new GroveUploadOptions { IfMatch = "*" })).Length.ShouldBe(2);
    }

    [Fact]
    public async Task UploadAsync_WithoutParents_RefusesMissingDirectory()
    {
        await ShouldBeRefusedAsync(
            () => Admin.UploadAsync("/no/such/dir/f.txt", new MemoryStream("x"u8.ToArray()), new GroveUploadOptions { CreateParents = false }),
            404, GroveErrorCode.NotFound);
        await ShouldBeRefusedAsync(() => Admin.DownloadAsync("/", Stream.Null), 400, GroveErrorCode.IsADirectory);
    }

    [Fact]
    public async Task UploadAndDownload_256MiB_StreamWithBoundedMemory()
    {
        const long size = 256L << 20;
        var probe = new MemoryProbe();
        using var source = new GeneratedStream(size, probe);
        long lastProgress = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var o = await Admin.UploadAsync("/big/blob.bin", source, new GroveUploadOptions
        {
            Length = size,
            Progress = new SyncProgress(n => lastProgress = n),
        });

        o.Length.ShouldBe(size);
        o.Sha256.ShouldBe(source.Sha256);
        lastProgress.ShouldBe(size);
        var up = clock.Elapsed;
        await using var sink = new HashingSink(probe);
        var info = await Admin.DownloadAsync("/big/blob.bin", sink);
        sink.Length.ShouldBe(size);
        sink.Sha256.ShouldBe(o.Sha256);
        info.Sha256.ShouldBe(o.Sha256);
        output.WriteLine($"upload {size / up.TotalSeconds / (1 << 20):0} MiB/s, download {size / (clock.Elapsed - up).TotalSeconds / (1 << 20):0} MiB/s, peak heap growth {probe.PeakGrowth / (1 << 20)} MiB");
        // Note that client and server share this process: buffering the file whole anywhere would add 256 MiB.
        probe.PeakGrowth.ShouldBeLessThan(64L << 20, $"peak managed heap growth {probe.PeakGrowth >> 20} MiB");
    }

    [Fact]
    public async Task OneClient_ConcurrentUploadsAndDownloads_EachRoundTripsItsOwnBytes()
    {
        var files = Enumerable.Range(0, 16).Select(i => (Path: $"/par/f{i:D2}.bin", Bytes: RandomNumberGenerator.GetBytes(50_000 + (i * 1000)))).ToList();

        await Task.WhenAll(files.Select(f => Admin.UploadAsync(f.Path, new MemoryStream(f.Bytes))));
        var copies = await Task.WhenAll(files.Select(async f =>
        {
            using var copy = new MemoryStream();
            await Admin.DownloadAsync(f.Path, copy);
            return copy.ToArray();
        }));

        for (var i = 0; i < files.Count; i++)
        {
            copies[i].ShouldBe(files[i].Bytes, files[i].Path);
        }

        (await Admin.ListAsync("/par")).Items.Count.ShouldBe(16);
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
