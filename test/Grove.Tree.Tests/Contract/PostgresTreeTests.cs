using Grove.Testing;
using Xunit.Abstractions;

namespace Grove.Tree.Tests.Contract;

/// <summary>
/// The contract on the PostgreSQL index (content buckets stay in the local data folder). Each test gets a fresh
/// database from <see cref="PostgresServer"/>; without PostgreSQL the tests print why and return, under CI they fail.
/// </summary>
public sealed class PostgresTreeTests(ITestOutputHelper output) : TreeContract
{
    // Bounded so a test that fans out (100 concurrent creates) stays well inside the server's max_connections.
    private const string PoolLimit = ";Maximum Pool Size=32";

    private string? _store;

    protected override async Task<bool> PrepareStoreAsync()
    {
        _store = await PostgresServer.DatabaseOrSkipAsync(output);
        return _store is not null;
    }

    protected override Task<string?> StoreAsync() => Task.FromResult<string?>(_store + PoolLimit);

    [Fact]
    public async Task TwoNodes_SameDatabase_ShareObjectsAndOneCreateWinsEachRace()
    {
        if (StoreUnavailable) return;
        var store = await PostgresServer.Instance.CreateDatabaseAsync() + PoolLimit;
        TreeOptions Node(string name) => new() { Store = store, DataPath = Folder.Combine(name), LockDataFolder = false, Time = Clock };

        // Both start on an empty database at once: one creates the schema and root, the other uses them.
        var nodes = await Task.WhenAll(TreeService.OpenAsync(Node("a")), TreeService.OpenAsync(Node("b")));
        await using (var a = nodes[0])
        await using (var b = nodes[1])
        {
            a.Root.Id.ShouldBe(b.Root.Id);
            await Task.WhenAll(
                a.WriteAsync("/shared/from-a.txt", "written by a"u8.ToArray()),
                b.WriteAsync("/shared/from-b.bin", Bytes(60_000, 2)));
        }

        await using (var a = await TreeService.OpenAsync(Node("a")))
        await using (var b = await TreeService.OpenAsync(Node("b")))
        {
            (await a.ReadAllBytesAsync("/shared/from-b.bin")).ShouldBe(Bytes(60_000, 2));
            (await b.ReadAllBytesAsync("/shared/from-a.txt")).ShouldBe("written by a"u8.ToArray());
            (await a.GetAsync("/shared/from-a.txt")).Id.ShouldBe((await b.GetAsync("/shared/from-a.txt")).Id);
            (await b.ListAsync("/shared")).Items.Select(o => o.Name).ShouldBe(["from-a.txt", "from-b.bin"]);

            for (var i = 0; i < 20; i++)
            {
                var path = $"/race/r{i}";
                var outcomes = await Task.WhenAll(CreateOutcomeAsync(a, path), CreateOutcomeAsync(b, path));
                outcomes.Count(o => o == TreeErrorCode.AlreadyExists).ShouldBe(1, path);
                var winner = outcomes.Single(o => o != TreeErrorCode.AlreadyExists);
                (await a.GetAsync(path)).Id.ShouldBe(winner);
                (await b.GetAsync(path)).Id.ShouldBe(winner);
            }
        }
    }

    /// <summary>The created object's id, or the error code of a failed create.</summary>
    private static async Task<string> CreateOutcomeAsync(TreeService tree, string path)
    {
        try
        {
            return (await tree.CreateAsync(path, ObjectRace.File)).Id;
        }
        catch (TreeException e)
        {
            return e.Code;
        }
    }
}
