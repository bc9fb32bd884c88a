using System.Diagnostics;
using System.Text;
using Grove.Config.Internal;
using Grove.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Grove.Config.Tests;

/// <summary>A real tree on SQLite in a temp folder, a fake clock, and an engine over them with its timers off.</summary>
public abstract class EngineTestBase : IAsyncLifetime
{
    protected static readonly byte[] MasterKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    protected static readonly Principal Admin = new("admin", ["admin"], true);

    private readonly List<IAsyncDisposable> _open = [];

    protected TempFolder Folder { get; } = new();

    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    protected TreeService Tree { get; private set; } = null!;

    protected ConfigEngine Engine { get; set; } = null!;

    protected string DataPath => Folder.Combine("data");

    protected virtual ConfigOptions Options => new() { Time = Clock, RunTimers = false, MasterKey = MasterKey, DataPath = DataPath };

    public virtual async Task InitializeAsync()
    {
        Tree = await TreeService.OpenAsync(new TreeOptions { DataPath = DataPath, Time = Clock });
        Engine = await OpenEngineAsync();
    }

    protected async Task<ConfigEngine> OpenEngineAsync(ConfigOptions? options = null, TreeService? tree = null)
    {
        var engine = await ConfigEngine.OpenAsync(tree ?? Tree, options ?? Options);
        _open.Add(engine);
        return engine;
    }

    /// <summary>An engine over a store the test can take down and bring back.</summary>
    internal async Task<(ConfigEngine Engine, FlakyStore Store)> OpenFlakyAsync(FlakyStore? store = null, ConfigOptions? options = null)
    {
        store ??= new FlakyStore(async ct => await TreeConfigStore.OpenAsync(Tree, Clock, null, new SecretBox(MasterKey).KeyId, ct));
        var engine = await ConfigEngine.OpenAsync(options ?? Options, DataPath, store.ConnectAsync, default);
        _open.Add(engine);
        return (engine, store);
    }

    protected static ConfigKey Key(string dataId, string group = "G", string? tenant = null) => ConfigKey.Create(dataId, group, tenant);

    protected Task<PublishResult> PublishAsync(ConfigKey key, string content, ConfigType? type = null, ConfigEngine? on = null, bool? secret = null) =>
        (on ?? Engine).PublishAsync(new PublishRequest { Key = key, Content = content, Type = type, Actor = Admin, ClientIp = "10.0.0.1", Secret = secret });

    protected static string Md5(string s)
    {
#pragma warning disable CA5351
        return Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(s)));
#pragma warning restore CA5351
    }

    protected static async Task<ConfigException> Fails(string code, Func<Task> action)
    {
        var e = await Should.ThrowAsync<ConfigException>(action);
        e.Code.ShouldBe(code, e.Message);
        return e;
    }

    protected static ConfigException FailsNow(string code, Action action)
    {
        var e = Should.Throw<ConfigException>(action);
        e.Code.ShouldBe(code, e.Message);
        return e;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after the deadline.</summary>
    protected static async Task EventuallyAsync(Func<bool> condition, string what, int seconds = 15)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"not within {seconds} s: {what}");
            }

            await Task.Delay(5);
        }
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var o in Enumerable.Reverse(_open))
        {
            await o.DisposeAsync();
        }

        if (Tree is not null)
        {
            await Tree.DisposeAsync();
        }

        Folder.Dispose();
    }
}
