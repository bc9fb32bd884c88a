using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grove.Testing;

namespace Grove.Tree.Tests.Storage;

public sealed class StorageRegistryTests
{
    [Fact]
    public void Default_Frozen_AddThrows() =>
        Should.Throw<InvalidOperationException>(() => StorageRegistry.Default.Add(new BoxBucketProvider()));

    [Theory]
    [InlineData(StorageRole.Store, "mongo", "MongoDB")]
    [InlineData(StorageRole.Index, "dao", "records")]
    [InlineData(StorageRole.Bucket, "aliyunoss", "provider")]
    public void Default_SeedKindsNotServed_KnownAndRefusedWithReason(StorageRole role, string kind, string reason)
    {
        StorageRegistry.Default.Knows(role, kind).ShouldBeTrue();
        StorageRegistry.Default.Refusals(role)[kind].ShouldContain(reason);
    }

    [Fact]
    public async Task Open_RefusedStore_InvalidStoreNamingTheReason()
    {
        using var folder = new TempFolder();
        var e = await Should.ThrowAsync<TreeException>(() => TreeService.OpenAsync(new TreeOptions { DataPath = folder.Path, Store = "mongo://db/x" }));

        e.Code.ShouldBe(TreeErrorCode.InvalidStore);
        e.Message.ShouldContain("MongoDB");
        Directory.EnumerateFileSystemEntries(folder.Path).ShouldBeEmpty();
    }

    [Fact]
    public async Task Open_UnknownStore_InvalidStoreListingTheKnownKinds()
    {
        var e = await Should.ThrowAsync<TreeException>(() => TreeService.OpenAsync(new TreeOptions { Store = "cassandra" }));

        e.Code.ShouldBe(TreeErrorCode.InvalidStore);
        e.Message.ShouldContain("sqlite");
        e.Message.ShouldContain("postgres");
    }

    [Fact]
    public void Parse_KindOfAnAddedProvider_ParsesOnlyWithThatRegistry()
    {
        var registry = StorageRegistry.CreateDefault().Add(new BoxBucketProvider());

        MountSpec.Parse("mem://box(b1)", registry).StorageKind.ShouldBe("box");
        Should.Throw<TreeException>(() => MountSpec.Parse("mem://box(b1)")).Code.ShouldBe(TreeErrorCode.InvalidMount);
    }

    [Fact]
    public void Parse_SettingRejectedByProvider_InvalidMountWithItsMessage()
    {
        var registry = StorageRegistry.CreateDefault().Add(new BoxBucketProvider());

        var e = Should.Throw<TreeException>(() => MountSpec.Parse("box(no-dashes)", registry));

        e.Code.ShouldBe(TreeErrorCode.InvalidMount);
        e.Message.ShouldContain("box names are letters and digits");
    }

    [Fact]
    public async Task Mount_BucketOfAnAddedProvider_ContentGoesThroughIt()
    {
        using var folder = new TempFolder();
        var box = new BoxBucketProvider();
        var options = new TreeOptions { DataPath = folder.Path, Storage = StorageRegistry.CreateDefault().Add(box) };
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        await using (var tree = await TreeService.OpenAsync(options))
        {
            await tree.MkdirAsync("/boxed");
            await tree.MountAsync("/boxed", "box(b1)");
            await tree.WriteAsync("/boxed/a.bin", content);
            await tree.WriteAsync("/boxed/b.bin", content);

            (await tree.ReadAllBytesAsync("/boxed/a.bin")).ShouldBe(content);
            box.Blobs.Count.ShouldBe(1);
            (await tree.FsckAsync()).Consistent.ShouldBeTrue();
        }

        await using (var reopened = await TreeService.OpenAsync(options))
        {
            (await reopened.ReadAllBytesAsync("/boxed/b.bin")).ShouldBe(content);
            (await reopened.GetAsync("/boxed/b.bin")).Bucket.ShouldBe("box:b1");
        }
    }

    [Fact]
    public async Task Fsck_BucketOfAnAddedProvider_OldOrphanRemoved()
    {
        using var folder = new TempFolder();
        var clock = new ManualTime();
        var box = new BoxBucketProvider();
        var registry = StorageRegistry.CreateDefault().Add(box);
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = folder.Path, Storage = registry, Time = clock });
        await tree.MkdirAsync("/boxed");
        await tree.MountAsync("/boxed", "box(b1)");
        await tree.WriteAsync("/boxed/a.bin", new byte[100_000]);
        await tree.DeleteAsync("/boxed/a.bin");
        clock.Advance(TimeSpan.FromHours(2));

        var report = await tree.FsckAsync();

        report.OrphansRemoved.ShouldBe(1);
        box.Blobs.ShouldBeEmpty();
    }

    /// <summary>A bucket provider written against the public API only, as another assembly would.</summary>
    private sealed class BoxBucketProvider : IBucketProvider
    {
        public ConcurrentDictionary<string, (byte[] Bytes, DateTimeOffset Written)> Blobs { get; } = new();

        public string Kind => "box";

        public string? CheckSetting(string? setting) =>
            setting is { Length: > 0 } && setting.All(char.IsAsciiLetterOrDigit) ? null : "box names are letters and digits";

        public IBucket Open(string name, string? setting, StorageContext context) => new BoxBucket(name, this, context.Time);

        public async IAsyncEnumerable<string> ExistingAsync(StorageContext context, [EnumeratorCancellation] CancellationToken ct)
        {
            await Task.CompletedTask;
            if (!Blobs.IsEmpty)
            {
                yield return "box:b1";
            }
        }
    }

    private sealed class BoxBucket(string name, BoxBucketProvider owner, TimeProvider time) : IBucket
    {
        public string Name => name;

        public bool ContentAddressed => true;

        public SwapWriter CreateWriter(int inlineThreshold) => new(() => throw new NotSupportedException(), 64 << 20);

        public async Task PlaceAsync(SwapWriter writer, TreeObject target, CancellationToken ct)
        {
            var sha = await writer.FinishAsync(ct);
            owner.Blobs[sha] = (writer.InMemory!, time.GetUtcNow());
        }

        public Task<Stream> OpenReadAsync(TreeObject obj, CancellationToken ct) =>
            Task.FromResult<Stream>(new MemoryStream(owner.Blobs[obj.Sha256!].Bytes, writable: false));

        public ValueTask<bool> ExistsAsync(string sha256, CancellationToken ct) => ValueTask.FromResult(owner.Blobs.ContainsKey(sha256));

        public IAsyncEnumerable<StoredBlob> ListBlobsAsync(CancellationToken ct) =>
            owner.Blobs.Select(kv => new StoredBlob(kv.Key, kv.Value.Written, kv.Value.Bytes.Length)).ToList().ToAsyncEnumerable();

        public ValueTask<bool> TryRemoveAsync(string sha256, DateTimeOffset notAfter, CancellationToken ct) =>
            ValueTask.FromResult(owner.Blobs.TryGetValue(sha256, out var b) && b.Written <= notAfter && owner.Blobs.TryRemove(sha256, out _));

        public ValueTask<int> RemoveStaleSwapAsync(DateTimeOffset olderThan, CancellationToken ct) => ValueTask.FromResult(0);
    }
}
