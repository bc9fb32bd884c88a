using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Grove.Client.Configuration;

public sealed partial class GroveConfigurationProvider
{
    /// <summary>Merges every config's keys in the order they were added and replaces <see cref="ConfigurationProvider.Data"/>.</summary>
    private void Publish(bool reload)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            foreach (var selection in _options.Configs)
            {
                if (_states.TryGetValue(KeyOf(selection), out var s))
                {
                    foreach (var (k, v) in s.Data)
                    {
                        merged[k] = v;
                    }
                }
            }
        }

        Data = merged;
        if (reload)
        {
            OnReload();
        }
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        var keys = _options.Configs.Select(KeyOf).ToList();
        var bySelection = _options.Configs.ToDictionary(KeyOf);
        var watch = new GroveConfigWatchOptions
        {
            ReconcileInterval = _options.ReconcileInterval,
            OnError = e => _log.LogWarning("config watch: {Reason}; reconnecting", e.Message),
        };
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in _client.WatchAsync(keys, HeldMd5, watch, ct))
                {
                    var config = change.Md5 is null ? null : await _client.GetAsync(change.Key, ct);
                    if (Accept(bySelection[change.Key], config, throwOnBadContent: false))
                    {
                        _log.LogInformation("config {Key} changed (MD5 {Md5}); reloading", change.Key, config?.Md5 ?? "removed");
                        Publish(reload: true);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogError(e, "config watch stopped; starting it again");
                await Task.Delay(TimeSpan.FromSeconds(5), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
