using Amazon.Runtime;
using Grove.Tree.S3.Internal;
using Xunit.Abstractions;

namespace Grove.Tree.S3.Tests;

public sealed class S3BadInputTests(ITestOutputHelper output) : S3TestBase(output)
{
    [Fact]
    public async Task Mount_UnknownBucketName_RefusedNamingItAndNothingCreated()
    {
        if (Unavailable) return;

        var e = await Should.ThrowAsync<TreeException>(() => Tree.MountAsync("/nope", "aliyunoss(nosuch)", createMissing: true));

        e.Code.ShouldBe(TreeErrorCode.InvalidMount);
        e.Message.ShouldContain("aliyunoss(nosuch)");
        e.Message.ShouldContain("Grove:Buckets:nosuch:Bucket");
        (await Tree.FindAsync("/nope")).ShouldBeNull();
    }

    [Fact]
    public async Task Mount_WrongCredentials_RefusedNamingThemNeverTheSecret()
    {
        if (Unavailable) return;

        var settings = Settings(secret: "not-the-secret-xyz");
        settings["Buckets:media:AccessKey"] = "WRONGKEY";
        await using var tree = await OpenTreeAsync(settings, Folder.Combine("wrong"));
        var e = await Should.ThrowAsync<TreeException>(() => tree.MountAsync("/m", "s3(media)", createMissing: true));

        e.Code.ShouldBe(TreeErrorCode.StorageRefused);
        e.Message.ShouldContain("s3(media)");
        e.Message.ShouldContain("credentials");
        e.Message.ShouldNotContain("not-the-secret-xyz");
        (await tree.FindAsync("/m")).ShouldBeNull();
    }

    [Fact]
    public async Task Mount_UnreachableEndpoint_UnavailableAfterRetries()
    {
        if (Unavailable) return;

        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        await using var tree = await OpenTreeAsync(Settings(url: url), Folder.Combine("unreachable"));
        var e = await Should.ThrowAsync<TreeException>(() => tree.MountAsync("/m", "s3(media)", createMissing: true));

        e.Code.ShouldBe(TreeErrorCode.StorageUnavailable);
        e.Status.ShouldBe(503);
        e.Message.ShouldContain("s3(media)");
        (await tree.FindAsync("/m")).ShouldBeNull();
    }

    [Fact]
    public async Task Mount_NoSuchS3Bucket_RefusedNamingIt()
    {
        if (Unavailable) return;

        await using var tree = await OpenTreeAsync(Settings(name: "gone", bucket: "grove-missing-" + Guid.NewGuid().ToString("N")[..8]), Folder.Combine("gone"));
        await tree.MkdirAsync("/g");
        var e = await Should.ThrowAsync<TreeException>(() => tree.MountAsync("/g", "s3(gone)"));
        e.Code.ShouldBe(TreeErrorCode.StorageRefused);
        e.Message.ShouldContain("no such bucket");
        (await tree.ListAsync("/g")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Write_UploadFailsMidway_NoRowNoBlob()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/m", "s3(media)", createMissing: true);
        using var cts = new CancellationTokenSource();
        var source = new CancelAfterStream(Bytes(9 << 20), 6 << 20, cts);

        await Should.ThrowAsync<OperationCanceledException>(() => Tree.WriteAsync("/m/cut.bin", source, ct: cts.Token));

        (await Tree.FindAsync("/m/cut.bin")).ShouldBeNull();
        (await KeysAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Calls_TransientFailures_RetriedWithBackoffThenSucceed()
    {
        var calls = new S3Calls("s3(t)", 4, TimeProvider.System);
        var n = 0;
        var r = await calls.RunAsync("probe", _ => ++n < 3
            ? throw new AmazonServiceException("busy") { StatusCode = System.Net.HttpStatusCode.ServiceUnavailable }
            : Task.FromResult(42), CancellationToken.None);

        r.ShouldBe(42);
        calls.Retries.ShouldBe(2);
    }

    [Fact]
    public async Task Calls_PermanentFailure_NotRetried()
    {
        var calls = new S3Calls("s3(t)", 4, TimeProvider.System);
        var n = 0;
        var e = await Should.ThrowAsync<TreeException>(() => calls.RunAsync<int>("probe", _ =>
        {
            n++;
            throw new AmazonServiceException("denied") { StatusCode = System.Net.HttpStatusCode.Forbidden };
        }, CancellationToken.None));

        n.ShouldBe(1);
        e.Code.ShouldBe(TreeErrorCode.StorageRefused);
    }

    [Fact]
    public void Settings_ToString_HidesSecret()
    {
        var s = S3BucketSettings.Read("media", new Dictionary<string, string?> { ["Buckets:media:Bucket"] = "b", ["Buckets:media:SecretKey"] = "hunter2" }, "s3(media)");
        s.ToString().ShouldNotContain("hunter2");
        s.SecretKey.ShouldBe("hunter2");
    }

    private sealed class CancelAfterStream(byte[] data, int cancelAt, CancellationTokenSource cts) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= cancelAt)
            {
                await cts.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return await base.ReadAsync(buffer, cancellationToken);
        }
    }
}
