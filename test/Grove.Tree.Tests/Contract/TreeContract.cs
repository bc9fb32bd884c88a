using Grove.Testing;

namespace Grove.Tree.Tests.Contract;

/// <summary>
/// The behaviour every root indexer must show. Each subclass opens the tree on one store (SQLite, PostgreSQL,
/// memory), and runs every test of the partial classes below unchanged.
/// </summary>
public abstract partial class TreeContract : IAsyncLifetime
{
    private readonly List<TreeService> _opened = [];

    protected TempFolder Folder { get; } = new();

    protected ManualTime Clock { get; } = new();

    protected TreeService Tree { get; private set; } = null!;

    /// <summary>
    /// True when the store cannot be used here (a subclass's <see cref="PrepareStoreAsync"/> said so and printed why);
    /// every test then returns at once instead of testing another store by mistake.
    /// </summary>
    protected bool StoreUnavailable { get; private set; }

    /// <summary>The store string for <see cref="TreeOptions.Store"/>; null is the embedded SQLite default.</summary>
    protected abstract Task<string?> StoreAsync();

    /// <summary>
    /// Runs before each test, before the tree opens: false when the store is unavailable here (after writing the
    /// reason to the test output). Under CI an unavailable store must throw instead.
    /// </summary>
    protected virtual Task<bool> PrepareStoreAsync() => Task.FromResult(true);

    protected async Task<TreeService> OpenAsync(Func<TreeOptions, TreeOptions>? tweak = null)
    {
        var store = await StoreAsync();
        var options = new TreeOptions { DataPath = Folder.Combine("data"), Store = store, Time = Clock, OrphanGrace = TimeSpan.FromMinutes(10) };
        var tree = await TreeService.OpenAsync(tweak?.Invoke(options) ?? options);
        _opened.Add(tree);
        return tree;
    }

    protected async Task ReopenAsync(Func<TreeOptions, TreeOptions>? tweak = null)
    {
        await Tree.DisposeAsync();
        _opened.Remove(Tree);
        Tree = await OpenAsync(tweak);
    }

    public async Task InitializeAsync()
    {
        StoreUnavailable = !await PrepareStoreAsync();
        if (!StoreUnavailable)
        {
            Tree = await OpenAsync();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var t in _opened)
        {
            await t.DisposeAsync();
        }

        Folder.Dispose();
    }

    protected static byte[] Bytes(int length, int seed = 1)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    protected static string Sha(byte[] b) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b));

    protected static async Task<TreeException> Fails(string code, Func<Task> action)
    {
        var e = await Should.ThrowAsync<TreeException>(action);
        e.Code.ShouldBe(code, e.Message);
        return e;
    }
}
