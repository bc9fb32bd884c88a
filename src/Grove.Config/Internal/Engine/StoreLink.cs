using Grove.Tree;
using Microsoft.Extensions.Logging;

namespace Grove.Config.Internal.Engine;

/// <summary>
/// The engine's hold on its store: the open store (null until it first opens), whether it answers, and the one way
/// calls reach it (<see cref="CallAsync{T}"/>): an outage marks it unavailable and becomes <c>unavailable</c>; a tree
/// refusal becomes the matching config error.
/// </summary>
internal sealed class StoreLink(Func<CancellationToken, Task<IConfigStore>> connect, ILogger log)
{
    private volatile string? _unavailable;

    public IConfigStore? Store { get; private set; }

    public string? UnavailableReason => _unavailable;

    public bool Available => _unavailable is null;

    /// <summary>Opens the store if it never opened; <paramref name="onRemoteChange"/> hears other nodes' changes.</summary>
    public async Task<IConfigStore> OpenAsync(Action onRemoteChange, CancellationToken ct)
    {
        if (Store is { } open)
        {
            return open;
        }

        var store = await connect(ct);
        store.RemoteChanged += onRemoteChange;
        Store = store;
        return store;
    }

    /// <summary>Whether an exception means the store cannot be reached (not a refusal of the request).</summary>
    public static bool IsOutage(Exception e, CancellationToken ct) => e switch
    {
        // Note that a full disk refuses this write only: the store is there, and smaller writes or reads still work.
        _ when StorageFullException.IsDiskFull(e) => false,
        OperationCanceledException => !ct.IsCancellationRequested,
        System.Data.Common.DbException or IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        _ => false,
    };

    public void MarkUnavailable(Exception cause)
    {
        var reason = $"{cause.GetType().Name}: {cause.Message}";
        if (_unavailable is null)
        {
            log.LogError(cause, "config store unreachable; serving from memory and refusing writes until it is back");
        }

        _unavailable = reason;
    }

    /// <summary>Notes a failed recovery attempt without logging it again.</summary>
    public void StillUnavailable(Exception cause) => _unavailable = $"{cause.GetType().Name}: {cause.Message}";

    /// <summary>Accepts writes again; returns what the outage was, or null.</summary>
    public string? MarkAvailable()
    {
        var was = _unavailable;
        _unavailable = null;
        return was;
    }

    public ConfigException Unavailable() => new(ConfigErrorCode.Unavailable, $"the config store is unreachable ({_unavailable}); reads are served, writes are refused until it is back")
    {
        RetryAfter = TimeSpan.FromSeconds(1 + Random.Shared.Next(0, 5)),
    };

    /// <summary>Runs a store call; an outage marks the store unavailable and becomes <c>unavailable</c>.</summary>
    public async Task<T> CallAsync<T>(Func<IConfigStore, Task<T>> call, CancellationToken ct)
    {
        var store = Store;
        if (store is null || _unavailable is not null)
        {
            throw Unavailable();
        }

        try
        {
            return await call(store);
        }
        catch (Exception e) when (IsOutage(e, ct))
        {
            MarkUnavailable(e);
            throw Unavailable();
        }
        catch (Exception e) when (e is not StorageFullException && StorageFullException.IsDiskFull(e))
        {
            throw StorageFullException.From(e);
        }
        catch (TreeException e)
        {
            throw Translate(e);
        }
    }

    private static ConfigException Translate(TreeException e) => e.Code switch
    {
        TreeErrorCode.NotFound => new ConfigException(ConfigErrorCode.NotFound, e.Message, e),
        TreeErrorCode.Conflict or TreeErrorCode.AlreadyExists or TreeErrorCode.HandleBusy => new ConfigException(ConfigErrorCode.Conflict, e.Message, e),
        _ => new ConfigException(ConfigErrorCode.InvalidArgument, e.Message, e),
    };

    public async ValueTask DisposeAsync(Action onRemoteChange)
    {
        if (Store is { } store)
        {
            store.RemoteChanged -= onRemoteChange;
            await store.DisposeAsync();
        }
    }
}
