namespace Grove.Client.Tests;

/// <summary>What a signed-in user without rights gets, and the limits of the server.</summary>
public sealed class PermissionTests : ClientTestBase
{
    protected override Grove.Server.GroveServerOptions Configure(Grove.Server.GroveServerOptions options) =>
        options with { MaxUploadBytes = 1 << 20 };

    [Fact]
    public async Task UserWithoutRights_ReadWriteAndAdminCalls_AreForbidden()
    {
        await Admin.UploadAsync("/private/secret.txt", new MemoryStream("s"u8.ToArray()));
        await Admin.SetMetaAsync("/private", new Dictionary<string, object?> { ["md"] = 0b111_000_000 });
        var bob = await UserAsync("bob");

        (await ShouldBeRefusedAsync(() => bob.StatAsync("/private/secret.txt"), 403, GroveErrorCode.Forbidden)).IsForbidden.ShouldBeTrue();
        await ShouldBeRefusedAsync(() => bob.StatAsync("/private/not-there.txt"), 403, GroveErrorCode.Forbidden);
        await ShouldBeRefusedAsync(() => bob.DownloadAsync("/private/secret.txt", Stream.Null), 403, GroveErrorCode.Forbidden);
        await ShouldBeRefusedAsync(() => bob.UploadAsync("/private/mine.txt", new MemoryStream("m"u8.ToArray())), 403, GroveErrorCode.Forbidden);
        await ShouldBeRefusedAsync(() => bob.DeleteAsync("/private", recursive: true), 403, GroveErrorCode.Forbidden);
        await ShouldBeRefusedAsync(() => bob.FsckAsync(), 403, GroveErrorCode.Forbidden);
        await ShouldBeRefusedAsync(() => bob.MountAsync("/m", "mem"), 403, GroveErrorCode.Forbidden);
        await ShouldBeRefusedAsync(() => bob.CreateUserAsync("eve", "eve-password-1"), 403, GroveErrorCode.Forbidden);
        (await Admin.StatAsync("/private/secret.txt")).Length.ShouldBe(1);
    }

    [Fact]
    public async Task UploadAsync_OverTheServerLimit_ThrowsTooLargeAndStoresNothing()
    {
        var body = new MemoryStream(new byte[2 << 20]);

        var e = await ShouldBeRefusedAsync(() => Admin.UploadAsync("/big.bin", body), 413, GroveErrorCode.TooLarge);

        e.Detail.ShouldNotBeNullOrEmpty();
        (await Admin.FindAsync("/big.bin")).ShouldBeNull();
    }

    [Fact]
    public async Task UploadAsync_NonSeekableOverTheLimit_ThrowsTooLarge()
    {
        var probe = new MemoryProbe();
        using var body = new GeneratedStream(3 << 20, probe);

        await ShouldBeRefusedAsync(() => Admin.UploadAsync("/chunked.bin", body), 413, GroveErrorCode.TooLarge);
        (await Admin.FindAsync("/chunked.bin")).ShouldBeNull();
    }
}
