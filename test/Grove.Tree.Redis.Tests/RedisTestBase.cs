using Xunit.Abstractions;

namespace Grove.Tree.Redis.Tests;

/// <summary>A tree on a temp folder whose settings point at the shared private redis-server; a fresh key per test.</summary>
public abstract class RedisTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    protected ITestOutputHelper Output { get; } = output;

    protected TempFolder Folder { get; } = new();

    protected bool Unavailable { get; private set; }

    protected string Key { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    protected TreeService Tree { get; set; } = null!;

    protected static StorageRegistry Registry { get; } = StorageRegistry.CreateDefault().AddRedis().Freeze();

    protected static Dictionary<string, string?> Settings(string? configuration = null, int? maxBytes = null)
    {
        var s = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Redis:Configuration"] = configuration ?? RedisServer.Configuration };
        if (maxBytes is { } m)
        {
            s["Redis:MaxBlobBytes"] = m.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return s;
    }

    public async Task InitializeAsync()
    {
        if (!RedisServer.Instance.AvailableOrSkip(Output))
        {
            Unavailable = true;
            return;
        }

        Tree = await OpenTreeAsync(Settings(), "data");
    }

    protected Task<TreeService> OpenTreeAsync(Dictionary<string, string?> settings, string folder) => TreeService.OpenAsync(new TreeOptions
    {
        DataPath = Folder.Combine(folder),
        Storage = Registry,
        Settings = settings,
        ReclaimInterval = TimeSpan.Zero,
    });

    protected static byte[] Bytes(int n, int seed = 1)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    public async Task DisposeAsync()
    {
        if (Tree is not null)
        {
            await Tree.DisposeAsync();
        }

        Folder.Dispose();
    }
}
