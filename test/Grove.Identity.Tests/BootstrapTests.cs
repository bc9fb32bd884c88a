namespace Grove.Identity.Tests;

public sealed class BootstrapTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly ManualTime _clock = new();
    private TreeService _tree = null!;

    public async Task InitializeAsync() =>
        _tree = await TreeService.OpenAsync(new TreeOptions { DataPath = _folder.Path, Time = _clock });

    public async Task DisposeAsync()
    {
        await _tree.DisposeAsync();
        _folder.Dispose();
    }

    private IdentityOptions Options(string? adminPassword = null) =>
        new() { PasswordIterations = 1000, AdminPassword = adminPassword, Time = _clock };

    [Fact]
    public async Task OpenAsync_FirstStartWithoutPassword_GeneratesRandomPasswordOnce()
    {
        await using var first = await IdentityService.OpenAsync(_tree, Options());
        var password = first.BootstrapPassword.ShouldNotBeNull();
        password.Length.ShouldBe(20);

        var login = await first.LoginAsync("admin", password, "c");
        var admin = (await first.AuthenticateAsync(login.Token)).ShouldNotBeNull();
        admin.IsAdmin.ShouldBeTrue();
        admin.Groups.ShouldBe(["admin"]);

        await using var second = await IdentityService.OpenAsync(_tree, Options());
        second.BootstrapPassword.ShouldBeNull();
        (await second.LoginAsync("admin", password, "c")).User.ShouldBe("admin");
    }

    [Fact]
    public async Task OpenAsync_TwoFirstStarts_GenerateDifferentPasswords()
    {
        await using var other = await TreeService.OpenAsync(new TreeOptions { DataPath = _folder.Combine("other"), Time = _clock });
        await using var a = await IdentityService.OpenAsync(_tree, Options());
        await using var b = await IdentityService.OpenAsync(other, Options());
        a.BootstrapPassword.ShouldNotBe(b.BootstrapPassword);
    }

    [Fact]
    public async Task OpenAsync_AdminPasswordGiven_UsesItAndExposesNothing()
    {
        await using var identity = await IdentityService.OpenAsync(_tree, Options("from-the-environment"));
        identity.BootstrapPassword.ShouldBeNull();
        (await identity.LoginAsync("admin", "from-the-environment", "c")).User.ShouldBe("admin");
    }

    [Fact]
    public async Task OpenAsync_AdminPasswordChangedLater_KeepsTheFirstOne()
    {
        await using (await IdentityService.OpenAsync(_tree, Options("first-password")))
        {
        }

        await using var identity = await IdentityService.OpenAsync(_tree, Options("second-password"));
        (await identity.LoginAsync("admin", "first-password", "c")).User.ShouldBe("admin");
        (await Should.ThrowAsync<IdentityException>(() => identity.LoginAsync("admin", "second-password", "c")))
            .Code.ShouldBe(IdentityErrorCode.Unauthorized);
    }

    [Fact]
    public async Task OpenAsync_AdminPasswordTooShort_IsRejected()
    {
        (await Should.ThrowAsync<IdentityException>(() => IdentityService.OpenAsync(_tree, Options("short"))))
            .Code.ShouldBe(IdentityErrorCode.BadRequest);
    }

    [Fact]
    public async Task OpenAsync_Layout_SysIsAdminOnly0700AndStoresAdminUser()
    {
        await using var identity = await IdentityService.OpenAsync(_tree, Options("from-the-environment"));
        foreach (var path in new[] { "/sys", "/sys/users", "/sys/groups", "/sys/sessions", "/sys/keys", "/sys/users/admin", "/sys/groups/admin" })
        {
            var o = await _tree.GetAsync(path);
            o.Mode.ShouldBe(0b111_000_000, path);
            o.Creator.ShouldBe("admin", path);
            o.Group.ShouldBe("admin", path);
        }

        var admin = await _tree.GetAsync("/sys/users/admin");
        admin.Get("admin").ShouldBe(true);
        admin.Get("groups").ShouldBeAssignableTo<IEnumerable<object?>>()!.ShouldBe(["admin"]);
        ((string)admin.Get("pwd")!).ShouldStartWith("pbkdf2-sha256$1000$");
        (await _tree.GetAsync("/sys/groups/admin")).Get("members").ShouldBeAssignableTo<IEnumerable<object?>>()!.ShouldBe(["admin"]);
    }

    [Fact]
    public async Task OpenAsync_SysWithLooseMode_IsTightened()
    {
        await _tree.MkdirAsync("/sys", new CreateOptions { User = "mallory", Mode = 0b111_111_111 });
        await using var identity = await IdentityService.OpenAsync(_tree, Options("from-the-environment"));
        var sys = await _tree.GetAsync("/sys");
        sys.Mode.ShouldBe(0b111_000_000);
        sys.Creator.ShouldBe("admin");
        sys.Group.ShouldBe("admin");
    }
}
