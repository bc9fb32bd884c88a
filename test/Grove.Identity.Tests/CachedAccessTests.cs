namespace Grove.Identity.Tests;

/// <summary>
/// <see cref="TreeAccess.TryRequireCached"/>: the check of <see cref="TreeAccess.RequireAsync"/> on the tree's cached
/// objects only — it answers true only where RequireAsync would allow, and false (ask RequireAsync) for anything else.
/// </summary>
public sealed class CachedAccessTests : IdentityTestBase
{
    private static readonly Principal Member = new("gary", ["staff"], false);
    private static readonly Principal Other = new("otto", ["dev"], false);

    private async Task<TreeAccess> SampleAsync()
    {
        await Tree.MkdirAsync("/d", new CreateOptions { User = "olga", Group = "staff", Mode = 0b111_101_000 }); // 0750
        await Tree.CreateAsync("/d/f", Grove.Tree.ObjectRace.File, new CreateOptions { User = "olga", Group = "staff", Mode = 0b110_100_000 }); // 0640
        var guard = new TreeAccess(Tree);
        await guard.RequireAsync(Member, "/d/f", Access.Read, CancellationToken.None); // fills the cache
        return guard;
    }

    [Fact]
    public async Task TryRequireCached_AllowedAndCached_TrueWithTheObject()
    {
        var guard = await SampleAsync();
        guard.TryRequireCached(Member, "/d/f", Access.Read, out var o).ShouldBeTrue();
        o!.Name.ShouldBe("f");
    }

    [Fact]
    public async Task TryRequireCached_RefusedByTheObjectOrTheFolder_False()
    {
        var guard = await SampleAsync();
        guard.TryRequireCached(Member, "/d/f", Access.Write, out _).ShouldBeFalse();
        guard.TryRequireCached(Other, "/d/f", Access.Read, out _).ShouldBeFalse();
        await Should.ThrowAsync<IdentityException>(() => guard.RequireAsync(Other, "/d/f", Access.Read, CancellationToken.None));
    }

    [Fact]
    public async Task TryRequireCached_ModeChanged_SeesTheNewModeAtOnce()
    {
        var guard = await SampleAsync();
        await Tree.SetMetaAsync("/d", new Dictionary<string, object?> { ["md"] = "700" }); // no list for staff
        guard.TryRequireCached(Member, "/d/f", Access.Read, out _).ShouldBeFalse();
        await Should.ThrowAsync<IdentityException>(() => guard.RequireAsync(Member, "/d/f", Access.Read, CancellationToken.None));
    }

    [Fact]
    public async Task TryRequireCached_MissingObject_False()
    {
        var guard = await SampleAsync();
        guard.TryRequireCached(Member, "/d/none", Access.Read, out _).ShouldBeFalse();
        guard.TryRequireCached(Principal.System, "/nowhere", Access.Read, out _).ShouldBeFalse();
    }
}
