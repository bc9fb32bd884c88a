using System.Security.Cryptography;
using System.Text;
using Grove.Client.Configuration.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grove.Client.Configuration;

/// <summary>
/// Configuration keys from Grove configs. The first load fetches every config (within
/// <see cref="GroveConfigurationOptions.StartupTimeout"/>) and keeps each in the snapshot folder; a config the server
/// cannot give is taken from its snapshot, with a warning saying why. Then a watcher follows changes (push stream,
/// reconnects, MD5 reconciliation every few minutes), fetches what changed, and reloads the configuration, which
/// <c>IOptionsMonitor&lt;T&gt;</c> and change tokens see. Content that does not parse keeps the previous keys (logged).
/// </summary>
public sealed partial class GroveConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly GroveConfigurationOptions _options;
    private readonly ILogger _log;
    private readonly SnapshotStore? _snapshots;
    private readonly GroveConfigClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<GroveConfigKey, State> _states = [];
    private readonly object _gate = new();
    private Task? _watcher;

    private sealed record State(GroveConfigSelection Selection, string? Md5, Dictionary<string, string?> Data);

    /// <summary>A provider with these options (<see cref="GroveConfigurationExtensions.AddGroveConfig"/> makes one).</summary>
    public GroveConfigurationProvider(GroveConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _log = options.LoggerFactory?.CreateLogger<GroveConfigurationProvider>() ?? (ILogger)NullLogger.Instance;
        _snapshots = options.SnapshotFolder is null ? null : new SnapshotStore(options.SnapshotFolder, options.SnapshotKey);
        _client = new GroveConfigClient(options.Server!, options.ApiKey) { Labels = [.. options.Labels] };
    }

    /// <summary>Completes once the watcher runs (tests and hosts that want to know).</summary>
    public bool IsWatching => _watcher is { IsCompleted: false };

    /// <inheritdoc/>
    public override void Load()
    {
        if (_watcher is null)
        {
            // Note that IConfigurationProvider.Load is synchronous: the first load blocks (bounded by the start-up timeout).
            Task.Run(() => LoadAllAsync(_stop.Token)).GetAwaiter().GetResult();
            if (_options.Watch)
            {
                _watcher = Task.Run(() => WatchAsync(_stop.Token));
            }
        }

        Publish(reload: false);
    }

    private GroveConfigKey KeyOf(GroveConfigSelection s) => new(s.Group, s.DataId, _options.Tenant);

    private async Task LoadAllAsync(CancellationToken ct)
    {
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startup.CancelAfter(_options.StartupTimeout);
        string? unreachable = null;
        foreach (var selection in _options.Configs)
        {
            var key = KeyOf(selection);
            if (unreachable is null)
            {
                try
                {
                    var config = await _client.GetAsync(key, startup.Token);
                    Accept(selection, config, throwOnBadContent: true);
                    continue;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or TimeoutException
                    || e is GroveApiException { Status: 429 or >= 500 })
                {
                    unreachable = e is OperationCanceledException ? $"no answer within {_options.StartupTimeout.TotalSeconds:0} s" : $"{e.GetType().Name}: {e.Message}";
                    _log.LogWarning("cannot load configs from {Server} ({Reason}); starting from the snapshots in {Folder}", _options.Server, unreachable, _options.SnapshotFolder ?? "(snapshots off)");
                }
            }

            FromSnapshot(selection, key, unreachable);
        }
    }

    private void FromSnapshot(GroveConfigSelection selection, GroveConfigKey key, string reason)
    {
        var why = (string?)"snapshots are off";
        var snapshot = _snapshots?.Read(key, out why);
        if (snapshot is null)
        {
            if (!selection.Optional)
            {
                throw new InvalidOperationException($"config {key} cannot be loaded: the server cannot be reached ({reason}) and {why}");
            }

            _log.LogWarning("optional config {Key} is left out: the server cannot be reached and {Why}", key, why);
            Set(key, new State(selection, null, []));
            return;
        }

        _log.LogInformation("config {Key} comes from its snapshot (MD5 {Md5})", key, snapshot.Md5);
        Set(key, new State(selection, snapshot.Md5, ConfigParser.Parse(snapshot.Type, snapshot.Content, selection, _options.PropertiesDotsAsSections)));
    }

    /// <summary>Takes a fetched config (null: it does not exist); returns whether the keys changed.</summary>
    private bool Accept(GroveConfigSelection selection, GroveConfig? config, bool throwOnBadContent)
    {
        var key = KeyOf(selection);
        if (config?.Content is null)
        {
            if (config is null && !selection.Optional && throwOnBadContent)
            {
                throw new InvalidOperationException($"config {key} does not exist on {_options.Server} (mark it optional to start without it)");
            }

            if (config is not null)
            {
                _log.LogError("config {Key} is secret and this API key may not read it", key);
            }

            return Set(key, new State(selection, null, []));
        }

        Dictionary<string, string?> data;
        try
        {
            data = ConfigParser.Parse(config.Type, config.Content, selection, _options.PropertiesDotsAsSections);
        }
        catch (FormatException e) when (!throwOnBadContent)
        {
            _log.LogError(e, "config {Key} (MD5 {Md5}) does not parse as {Type}; keeping the previous keys", key, config.Md5, config.Type);
            return false;
        }

        var md5 = config.Md5 ?? Md5Hex(config.Content);
        if (_snapshots is not null)
        {
            try
            {
                if (!_snapshots.CanKeep(config.Secret))
                {
                    _log.LogInformation("config {Key} is secret and is not written to the snapshot (set SnapshotKey to keep it encrypted)", key);
                }

                _snapshots.Write(key, new Snapshot(config.Type, md5, config.Content, config.Secret));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.LogWarning(e, "cannot write the snapshot of {Key}", key);
            }
        }

        return Set(key, new State(selection, md5, data));
    }

    private bool Set(GroveConfigKey key, State state)
    {
        lock (_gate)
        {
            var changed = !_states.TryGetValue(key, out var old) || old.Md5 != state.Md5;
            _states[key] = state;
            return changed;
        }
    }

    private string? HeldMd5(GroveConfigKey key)
    {
        lock (_gate)
        {
            return _states.TryGetValue(key, out var s) ? s.Md5 : null;
        }
    }

    private static string Md5Hex(string content) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _watcher?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _client.Dispose();
        _stop.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Grove config {_options.Server} ({string.Join(", ", _options.Configs.Select(c => c.Group + "/" + c.DataId))})";
}
