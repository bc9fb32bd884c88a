using Grove.Identity.Internal;

namespace Grove.Identity.Tests;

/// <summary>No user enumeration by timing: an unknown or malformed user name costs one full derivation, like a known one.</summary>
public sealed class TimingTests : IdentityTestBase
{
    [Theory]
    [InlineData("alice")]
    [InlineData("nobody")]
    [InlineData("Not-A-Valid-Name")]
    [InlineData("")]
    public async Task LoginAsync_AnyUserName_RunsExactlyOneDerivation(string user)
    {
        await Identity.CreateUserAsync(Admin, "alice", "alice-password", [], false);
        var before = Identity.KdfRuns;

        var e = await Should.ThrowAsync<IdentityException>(() => Identity.LoginAsync(user, "wrong-password", Client));

        e.Code.ShouldBe(IdentityErrorCode.Unauthorized);
        Identity.KdfRuns.ShouldBe(before + 1);
    }

    [Fact]
    public async Task LoginAsync_UnknownUser_VerifiesAgainstADummyOfTheConfiguredCost()
    {
        var costly = await OpenIdentityAsync(Options with { PasswordIterations = 4321 });
        PasswordHasher.IterationsOf(costly.DummyHash).ShouldBe(4321);
        PasswordHasher.IterationsOf(Identity.DummyHash).ShouldBe(1000);
    }
}
