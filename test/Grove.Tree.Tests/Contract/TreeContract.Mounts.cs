using Grove.Tree.Query;

namespace Grove.Tree.Tests.Contract;

public abstract partial class TreeContract
{
    [Fact]
    public async Task Mount_Mem_ObjectsHaveTwoPartIdsAndResolveByPathAndId()
    {
        if (StoreUnavailable) return;

        var home = await Tree.MkdirAsync("/scratch");
        await Tree.MountAsync("/scratch", "mem");

        var f = await Tree.WriteAsync("/scratch/a/b.txt", "in memory"u8.ToArray());

        f.Id.ShouldStartWith(home.Id + ":");
        (await Tree.GetByIdAsync(f.Id)).Path.ShouldBe("/scratch/a/b.txt");
        (await Tree.ReadAllBytesAsync("/scratch/a/b.txt")).ShouldBe("in memory"u8.ToArray());
        (await Tree.ListAsync("/scratch")).Items.Single().Name.ShouldBe("a");

        await Tree.UnmountAsync("/scratch");
        (await Tree.FindAsync("/scratch/a")).ShouldBeNull();
    }

    [Fact]
    public async Task Query_MemMountChildOfHome_HasItsPathNotTheRoots()
    {
        if (StoreUnavailable) return;

        await Tree.MkdirAsync("/scratch");
        await Tree.MountAsync("/scratch", "mem");
        await Tree.WriteAsync("/scratch/top.txt", "x"u8.ToArray());

        var page = await Tree.QueryAsync(new TreeQuery { Parent = "/scratch", Filter = Filter.Eq("nm", "top.txt") });
        page.Items.Single().Path.ShouldBe("/scratch/top.txt");
    }

    [Fact]
    public async Task Mount_File_ReadsAndWritesRealFilesConfinedToRoot()
    {
        if (StoreUnavailable) return;

        var root = Folder.Dir("real");
        Folder.File("real/existing.txt", "from disk");
        await Tree.MkdirAsync("/disk");
        await Tree.MountAsync("/disk", "file://" + root);

        (await Tree.ReadAllBytesAsync("/disk/existing.txt")).ShouldBe("from disk"u8.ToArray());
        var written = await Tree.WriteAsync("/disk/sub/new.bin", Bytes(150_000));
        File.ReadAllBytes(Path.Combine(root, "sub", "new.bin")).ShouldBe(Bytes(150_000));
        written.Id.ShouldEndWith(":sub/new.bin");
        (await Tree.ListAsync("/disk")).Items.Select(o => o.Name).ShouldBe(["existing.txt", "sub"]);

        await Tree.MoveAsync("/disk/existing.txt", "/disk/sub/moved.txt");
        File.Exists(Path.Combine(root, "sub", "moved.txt")).ShouldBeTrue();
        await Tree.DeleteAsync("/disk/sub", recursive: true);
        Directory.Exists(Path.Combine(root, "sub")).ShouldBeFalse();
    }

    [Fact]
    public async Task Mount_FileWithSymlinkOutside_ThrowsPathEscape()
    {
        if (StoreUnavailable) return;

        var root = Folder.Dir("jail");
        var outside = Folder.File("secret.txt", "secret");
        File.CreateSymbolicLink(Path.Combine(root, "link.txt"), outside);
        await Tree.MkdirAsync("/jail");
        await Tree.MountAsync("/jail", "file://" + root);

        await Fails(TreeErrorCode.PathEscape, () => Tree.ReadAllBytesAsync("/jail/link.txt"));
    }

    [Fact]
    public async Task Mount_LocalBucket_KeepsContentInNamedBucket()
    {
        if (StoreUnavailable) return;

        await Tree.MkdirAsync("/media");
        await Tree.MountAsync("/media", "lbm(Photos)");
        var f = await Tree.WriteAsync("/media/big.jpg", Bytes(100_000, 5));

        f.Bucket.ShouldBe("lbm:Photos");
        f.Id.Length.ShouldBe(ObjectIds.Length);
        File.Exists(Path.Combine(Folder.Combine("data"), "lbm", "Photos", "buck", f.Sha256![..4], f.Sha256[4..])).ShouldBeTrue();
        (await Tree.ReadAllBytesAsync("/media/big.jpg")).ShouldBe(Bytes(100_000, 5));
        (await Tree.FsckAsync()).Consistent.ShouldBeTrue();
    }

    [Theory]
    [InlineData("dao(abc/t_news)", TreeErrorCode.MountUnsupported)]
    [InlineData("redis(tmp)", TreeErrorCode.MountUnsupported)]
    [InlineData("dao(x)://aliyunoss(news)", TreeErrorCode.MountUnsupported)]
    [InlineData("ftp(x)", TreeErrorCode.InvalidMount)]
    [InlineData("mem(", TreeErrorCode.InvalidMount)]
    public async Task Mount_UnsupportedOrUnknown_ThrowsClearError(string expression, string code)
    {
        if (StoreUnavailable) return;

        await Tree.MkdirAsync("/m");
        var e = await Fails(code, () => Tree.MountAsync("/m", expression));
        e.Message.ShouldNotBeNullOrWhiteSpace();
        (await Tree.GetAsync("/m")).Mount.ShouldBeNull();
    }

    [Fact]
    public async Task Mount_NonEmptyDirectory_ThrowsNotEmpty()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/occupied/x", ObjectRace.File);
        await Fails(TreeErrorCode.NotEmpty, () => Tree.MountAsync("/occupied", "mem"));
    }
}
