namespace Grove.Identity.Tests;

public sealed class AccessTests
{
    private static readonly Principal Owner = new("olga", ["staff"], false);
    private static readonly Principal GroupMember = new("gary", ["staff", "dev"], false);
    private static readonly Principal Other = new("otto", ["dev"], false);
    private static readonly Principal Admin = new("root", [], true);

    private static TreeObject Object(int mode, string? creator = "olga", string? group = "staff") => new()
    {
        Id = "x", ParentId = "p", Name = "n", Creator = creator, Group = group, Mode = mode,
    };

    public static TheoryData<string, int, int, bool> Matrix()
    {
        var data = new TheoryData<string, int, int, bool>();
        var principals = new[] { "owner", "group", "other" };
        var bits = new[] { Access.Read, Access.Write, Access.List };

        // Mode 0754: owner rwx, group r-x, others r--; mode 0421: owner r--, group -w-, others --x.
        var expected = new Dictionary<(int Mode, string Who), int>
        {
            [(0b111_101_100, "owner")] = 7, [(0b111_101_100, "group")] = 5, [(0b111_101_100, "other")] = 4,
            [(0b100_010_001, "owner")] = 4, [(0b100_010_001, "group")] = 2, [(0b100_010_001, "other")] = 1,
            [(0, "owner")] = 0, [(0, "group")] = 0, [(0, "other")] = 0,
        };
        foreach (var ((mode, who), allowed) in expected)
        {
            foreach (var bit in bits)
            {
                data.Add(who, mode, bit, (allowed & bit) != 0);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Allows_ModeBits_PickOwnerGroupOrOthers(string who, int mode, int bit, bool expected)
    {
        var p = who switch { "owner" => Owner, "group" => GroupMember, _ => Other };
        Access.Allows(p, Object(mode), bit).ShouldBe(expected);
    }

    [Theory]
    [InlineData(Access.Read)]
    [InlineData(Access.Write)]
    [InlineData(Access.List)]
    [InlineData(Access.Read | Access.Write | Access.List)]
    public void Allows_AdminAndSystem_AlwaysAllowed(int bit)
    {
        Access.Allows(Admin, Object(0), bit).ShouldBeTrue();
        Access.Allows(Principal.System, Object(0, null, null), bit).ShouldBeTrue();
    }

    [Fact]
    public void Allows_OwnerWithoutOwnerBits_DoesNotFallBackToGroupOrOthers()
    {
        var owner = Owner with { Groups = ["staff"] };
        Access.Allows(owner, Object(0b000_111_111), Access.Read).ShouldBeFalse();
    }

    [Fact]
    public void Allows_GroupMemberWithoutGroupBits_DoesNotFallBackToOthers()
    {
        Access.Allows(GroupMember, Object(0b000_000_111), Access.Read).ShouldBeFalse();
    }

    [Fact]
    public void Allows_SeveralBits_NeedsAllOfThem()
    {
        Access.Allows(Owner, Object(0b110_000_000), Access.Read | Access.Write).ShouldBeTrue();
        Access.Allows(Owner, Object(0b100_000_000), Access.Read | Access.Write).ShouldBeFalse();
    }

    [Fact]
    public void Allows_NoCreatorOrGroup_UsesOthers()
    {
        Access.Allows(Other, Object(0b111_111_100, null, null), Access.Read).ShouldBeTrue();
        Access.Allows(Other, Object(0b111_111_100, null, null), Access.Write).ShouldBeFalse();
        Access.Allows(new Principal("x", [], false), Object(0b000_111_000, "olga", null), Access.Read).ShouldBeFalse();
    }

    [Fact]
    public async Task Allows_SysTree_DeniesNonAdminsEverything()
    {
        using var folder = new TempFolder();
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = folder.Path });
        await using var identity = await IdentityService.OpenAsync(tree, new IdentityOptions { PasswordIterations = 1000, AdminPassword = "admin-password-1" });
        var member = new Principal("gary", ["admin"], false);
        foreach (var path in new[] { "/sys", "/sys/users", "/sys/users/admin" })
        {
            var o = await tree.GetAsync(path);
            foreach (var bit in new[] { Access.Read, Access.Write, Access.List })
            {
                Access.Allows(Other, o, bit).ShouldBeFalse(path);
                Access.Allows(member, o, bit).ShouldBeFalse(path);
                Access.Allows(Admin, o, bit).ShouldBeTrue(path);
            }
        }
    }

    [Fact]
    public void NamesAndStatuses_MissingWriteWithListGranted_MessageNamesWrite()
    {
        var dir = Object(0b111_101_101);

        var e = Should.Throw<IdentityException>(() => TreeAccess.Demand(Other, dir, Access.Write | Access.List, "/logs"));

        e.Message.ShouldBe("otto may not write /logs");
        Should.Throw<IdentityException>(() => TreeAccess.Demand(Other, Object(0), Access.Write | Access.List, "/x")).Message.ShouldBe("otto may not write or list /x");
        Should.Throw<IdentityException>(() => TreeAccess.Demand(Other, Object(0), Access.Read, "/x")).Message.ShouldBe("otto may not read /x");
    }
}
