using Npgsql;
using Xunit.Abstractions;

namespace Grove.Tree.Tests.Contract;

/// <summary>The PostgreSQL chunk bucket: content shared by nodes with separate data folders, seekable, de-duplicated.</summary>
public sealed class PgChunkBucketTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly ManualTime _clock = new();
    private string? _store;

    public async Task InitializeAsync() => _store = await PostgresServer.DatabaseOrSkipAsync(output);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    private Task<TreeService> NodeAsync(string name) => TreeService.OpenAsync(new TreeOptions
    {
        Store = _store, DataPath = _folder.Combine(name), LockDataFolder = false, Time = _clock, OrphanGrace = TimeSpan.FromMinutes(1),
    });

    private static byte[] Bytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    private async Task<long> CountAsync(string table)
    {
        await using var c = new NpgsqlConnection(_store);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {table}", c);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Content_WrittenOnOneNode_IsReadAndSeekedOnTheOther()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        var data = Bytes((3 << 20) + 12345, 1);
        await a.WriteAsync("/big/blob.bin", data);

        (await b.ReadAllBytesAsync("/big/blob.bin")).ShouldBe(data);
        await using var s = await b.OpenReadAsync("/big/blob.bin");
        s.Seek((2 << 20) + 7, SeekOrigin.Begin);
        var part = new byte[100];
        await s.ReadExactlyAsync(part);
        part.ShouldBe(data.AsSpan((2 << 20) + 7, 100).ToArray());
        Directory.EnumerateFiles(_folder.Combine("b"), "*", SearchOption.AllDirectories).ShouldBeEmpty("node b keeps no content of its own");
    }

    [Fact]
    public async Task SharedChunks_AreStoredOnce_AndSweptWhenUnreferenced()
    {
        if (_store is null) return;
        await using var tree = await NodeAsync("a");
        var head = Bytes(2 << 20, 2);
        await tree.WriteAsync("/x/one.bin", (byte[])[.. head, .. Bytes(100_000, 3)]);
        await tree.WriteAsync("/x/two.bin", (byte[])[.. head, .. Bytes(100_000, 4)]);
        await tree.WriteAsync("/x/three.bin", (byte[])[.. head, .. Bytes(100_000, 3)]);

        (await CountAsync("pg_blobs")).ShouldBe(2, "three files, two distinct contents");
        (await CountAsync("pg_chunks")).ShouldBe(4, "two shared head chunks and two distinct tails");

        await tree.DeleteAsync("/x", recursive: true);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var report = await tree.FsckAsync();
        report.OrphansRemoved.ShouldBe(2);
        report.Consistent.ShouldBeTrue();
        (await CountAsync("pg_chunks")).ShouldBe(0);
    }

    [Fact]
    public async Task Mount_NamedChunkBucket_KeepsContentThere()
    {
        if (_store is null) return;
        await using var tree = await NodeAsync("a");
        await tree.MkdirAsync("/media");
        await tree.MountAsync("/media", "pgbm(Media)");
        var f = await tree.WriteAsync("/media/clip.bin", Bytes(200_000, 5));

        f.Bucket.ShouldBe("pgbm:Media");
        (await tree.ReadAllBytesAsync("/media/clip.bin")).ShouldBe(Bytes(200_000, 5));
        (await tree.FsckAsync()).Consistent.ShouldBeTrue();
    }
}
