namespace Grove.Identity.Tests;

public sealed class ApiKeyTests : IdentityTestBase
{
    [Fact]
    public async Task CreateApiKeyAsync_Key_AuthenticatesAsItsOwner()
    {
        var bob = await UserAsync("bob", "dev");
        var created = await Identity.CreateApiKeyAsync(bob, "ci", null);

        created.Name.ShouldBe("ci");
        created.ExpiresAt.ShouldBeNull();
        created.Key.ShouldStartWith("gk_" + created.Id + "_");
        (await Identity.AuthenticateAsync(created.Key)).ShouldBe(bob);
    }

    [Fact]
    public async Task CreateApiKeyAsync_StoresOnlyTheSecretHash()
    {
        var bob = await UserAsync("bob");
        var created = await Identity.CreateApiKeyAsync(bob, "ci", null);
        var secret = created.Key[(3 + created.Id.Length + 1)..];

        var row = await Tree.GetAsync("/sys/keys/" + created.Id);
        row.Get("hash").ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret))));
        row.Meta.Values.Select(v => v.ToString()).ShouldNotContain(v => v.Contains(secret, StringComparison.Ordinal));
        row.Mode.ShouldBe(0b111_000_000);
    }

    [Fact]
    public async Task AuthenticateAsync_KeyWithWrongSecret_ReturnsNull()
    {
        var bob = await UserAsync("bob");
        var created = await Identity.CreateApiKeyAsync(bob, "ci", null);
        var wrong = created.Key[..^1] + (created.Key[^1] == 'A' ? 'B' : 'A');
        (await Identity.AuthenticateAsync(wrong)).ShouldBeNull();
        (await Identity.AuthenticateAsync(created.Key[..^1])).ShouldBeNull();
        var otherId = "gk_" + new string('0', 16) + created.Key[(3 + 16)..];
        (await Identity.AuthenticateAsync(otherId)).ShouldBeNull();
    }

    [Fact]
    public async Task ListApiKeysAsync_OwnKeysOnly_WithoutSecrets()
    {
        var bob = await UserAsync("bob");
        var eve = await UserAsync("eve");
        var b1 = await Identity.CreateApiKeyAsync(bob, "one", null);
        Clock.Advance(TimeSpan.FromMilliseconds(5));
        var expiry = Clock.GetUtcNow().AddDays(1).ToUnixTimeMilliseconds();
        var b2 = await Identity.CreateApiKeyAsync(bob, "two", expiry);
        await Identity.CreateApiKeyAsync(eve, "eve's", null);

        var keys = await Identity.ListApiKeysAsync(bob);
        keys.Select(k => k.Id).ShouldBe([b1.Id, b2.Id]);
        keys[1].ShouldBe(new ApiKeyInfo(b2.Id, "two", "bob", keys[1].Created, expiry));
        (await Identity.ListApiKeysAsync(eve)).Select(k => k.Name).ShouldBe(["eve's"]);
    }

    [Fact]
    public async Task DeleteApiKeyAsync_Owner_KeyStopsAtOnce()
    {
        var bob = await UserAsync("bob");
        var created = await Identity.CreateApiKeyAsync(bob, "ci", null);
        (await Identity.AuthenticateAsync(created.Key)).ShouldNotBeNull();

        await Identity.DeleteApiKeyAsync(bob, created.Id);

        (await Identity.AuthenticateAsync(created.Key)).ShouldBeNull();
        (await Identity.ListApiKeysAsync(bob)).ShouldBeEmpty();
        (await Should.ThrowAsync<IdentityException>(() => Identity.DeleteApiKeyAsync(bob, created.Id))).Code.ShouldBe(IdentityErrorCode.NotFound);
    }

    [Fact]
    public async Task DeleteApiKeyAsync_OtherUsersKey_ForbiddenButAdminMay()
    {
        var bob = await UserAsync("bob");
        var eve = await UserAsync("eve");
        var created = await Identity.CreateApiKeyAsync(bob, "ci", null);

        (await Should.ThrowAsync<IdentityException>(() => Identity.DeleteApiKeyAsync(eve, created.Id))).Code.ShouldBe(IdentityErrorCode.Forbidden);
        (await Identity.AuthenticateAsync(created.Key)).ShouldNotBeNull();

        await Identity.DeleteApiKeyAsync(Admin, created.Id);
        (await Identity.AuthenticateAsync(created.Key)).ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("../users/admin")]
    [InlineData("0123456789ABCDEF")]
    public async Task DeleteApiKeyAsync_BadId_NotFound(string id)
    {
        var bob = await UserAsync("bob");
        (await Should.ThrowAsync<IdentityException>(() => Identity.DeleteApiKeyAsync(bob, id))).Code.ShouldBe(IdentityErrorCode.NotFound);
    }

    [Fact]
    public async Task AuthenticateAsync_KeyExpired_ReturnsNullAndDropsFromList()
    {
        var bob = await UserAsync("bob");
        var created = await Identity.CreateApiKeyAsync(bob, "ci", Clock.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds());
        (await Identity.AuthenticateAsync(created.Key)).ShouldNotBeNull();

        Clock.Advance(TimeSpan.FromHours(1));

        (await Identity.AuthenticateAsync(created.Key)).ShouldBeNull();
        (await Identity.ListApiKeysAsync(bob)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateApiKeyAsync_BadArguments_BadRequest()
    {
        var bob = await UserAsync("bob");
        var past = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        (await Should.ThrowAsync<IdentityException>(() => Identity.CreateApiKeyAsync(bob, "ci", past))).Code.ShouldBe(IdentityErrorCode.BadRequest);
        (await Should.ThrowAsync<IdentityException>(() => Identity.CreateApiKeyAsync(bob, "  ", null))).Code.ShouldBe(IdentityErrorCode.BadRequest);
        (await Should.ThrowAsync<IdentityException>(() => Identity.CreateApiKeyAsync(bob, new string('k', 65), null))).Code.ShouldBe(IdentityErrorCode.BadRequest);
    }

    [Fact]
    public async Task CreateApiKeyAsync_ByTheSystemActor_Forbidden()
    {
        (await Should.ThrowAsync<IdentityException>(() => Identity.CreateApiKeyAsync(Principal.System, "ci", null))).Code.ShouldBe(IdentityErrorCode.Forbidden);
    }

    [Fact]
    public async Task DeleteUserAsync_Owner_RemovesTheirKeys()
    {
        var bob = await UserAsync("bob");
        var created = await Identity.CreateApiKeyAsync(bob, "ci", null);
        await Identity.DeleteUserAsync(Admin, "bob");
        (await Identity.AuthenticateAsync(created.Key)).ShouldBeNull();
        (await Tree.ListAsync("/sys/keys")).Items.ShouldBeEmpty();
    }
}
