using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Grove.Client.Internal;

namespace Grove.Client;

public sealed partial class GroveConfigClient
{
    /// <summary>
    /// The long poll: the configs whose MD5 (as this client sees them) differs from <paramref name="held"/>, at once
    /// if any does, else as soon as one changes, else an empty list after <paramref name="timeout"/>. A zero timeout
    /// answers at once: a full MD5 reconciliation.
    /// </summary>
    public Task<IReadOnlyList<GroveConfigChange>> ListenAsync(IReadOnlyList<(GroveConfigKey Key, string? Md5)> held, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        var body = JsonBody.Create(w =>
        {
            w.WriteStartObject();
            WriteConfigs(w, held);
            w.WriteNumber("timeoutMs", (long)timeout.TotalMilliseconds);
            w.WriteEndObject();
        });
        return _client.SendJsonAsync(WithLabels(_client.Request(HttpMethod.Post, "config/listen", body)), e =>
        {
            var revision = Wire.Long(e, "revision");
            return Wire.List(e.GetProperty("changed"), c => new GroveConfigChange(GroveConfig.KeyFromJson(c), Wire.OptStr(c, "md5"), revision));
        }, ct);
    }

    /// <summary>
    /// Watches configs: yields a change whenever the MD5 this client gets of one differs from what
    /// <paramref name="held"/> says it holds (ask it for the MD5 you have, null for none). A push stream
    /// (server-sent events, <c>POST /api/v1/config/watch</c>) carries the changes; it is opened again after any
    /// failure (with a growing, jittered delay) and, being opened with the held MD5s, never misses a change made
    /// meanwhile. Every <see cref="GroveConfigWatchOptions.ReconcileInterval"/> all MD5s are also compared with the
    /// server's whatever the stream says. Ends when <paramref name="ct"/> is cancelled; throws only for a refusal
    /// that cannot heal (bad keys).
    /// </summary>
    public async IAsyncEnumerable<GroveConfigChange> WatchAsync(IReadOnlyList<GroveConfigKey> keys, Func<GroveConfigKey, string?> held, GroveConfigWatchOptions? options = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(held);
        options ??= new GroveConfigWatchOptions();
        var channel = Channel.CreateUnbounded<GroveConfigChange>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var list = keys.Distinct().ToList();
        var stream = Task.Run(() => StreamLoopAsync(list, held, options, channel.Writer, stop.Token), CancellationToken.None);
        var reconcile = Task.Run(() => ReconcileLoopAsync(list, held, options, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(ct))
            {
                // Note that a change the caller already holds (told twice: by the stream and a reconciliation) is dropped.
                if (!string.Equals(change.Md5 ?? "", held(change.Key) ?? "", StringComparison.OrdinalIgnoreCase))
                {
                    yield return change;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(stream, reconcile).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task StreamLoopAsync(List<GroveConfigKey> keys, Func<GroveConfigKey, string?> held, GroveConfigWatchOptions options, ChannelWriter<GroveConfigChange> changes, CancellationToken ct)
    {
        var delay = options.RetryDelay;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await StreamOnceAsync(keys, held, options, changes, () => delay = options.RetryDelay, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsTransient(e) || e is OperationCanceledException)
            {
                options.OnError?.Invoke(e);
            }
            catch (Exception e)
            {
                options.OnError?.Invoke(e);
                changes.TryComplete(e);
                return;
            }

            try
            {
                var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, delay.TotalMilliseconds / 2)));
                await Task.Delay(delay + jitter, options.Time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(options.MaxRetryDelay.Ticks, delay.Ticks * 2));
        }
    }

    /// <summary>One connection: sends the held MD5s (the server answers the stale ones at once), then relays its events until it drops.</summary>
    private async Task StreamOnceAsync(List<GroveConfigKey> keys, Func<GroveConfigKey, string?> held, GroveConfigWatchOptions options, ChannelWriter<GroveConfigChange> changes, Action connected, CancellationToken ct)
    {
        var body = JsonBody.Create(w =>
        {
            w.WriteStartObject();
            WriteConfigs(w, keys.Select(k => (k, held(k))).ToList());
            w.WriteEndObject();
        });
        using var request = WithLabels(_client.Request(HttpMethod.Post, "config/watch", body));
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? name = null;
        var data = new StringBuilder();
        while (true)
        {
            string? line;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                idle.CancelAfter(options.IdleTimeout);
                try
                {
                    line = await reader.ReadLineAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new TimeoutException($"the push stream was silent for {options.IdleTimeout.TotalSeconds:0} s");
                }
            }

            if (line is null)
            {
                throw new IOException("the server closed the push stream");
            }

            if (line.Length > 0)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line[5..].TrimStart());
                }

                continue;
            }

            switch (name)
            {
                case "hello":
                    connected();
                    break;
                case "change":
                    using (var doc = JsonDocument.Parse(data.ToString()))
                    {
                        var e = doc.RootElement;
                        changes.TryWrite(new GroveConfigChange(GroveConfig.KeyFromJson(e), Wire.OptStr(e, "md5"), Wire.Long(e, "revision")));
                    }

                    break;
                case "reset":
                    await ReconcileOnceAsync(keys, held, changes, ct);
                    break;
                default:
                    break;
            }

            name = null;
            data.Clear();
        }
    }

    private async Task ReconcileLoopAsync(List<GroveConfigKey> keys, Func<GroveConfigKey, string?> held, GroveConfigWatchOptions options, ChannelWriter<GroveConfigChange> changes, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.ReconcileInterval, options.Time, ct);
                await ReconcileOnceAsync(keys, held, changes, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                options.OnError?.Invoke(e);
            }
        }
    }

    private async Task ReconcileOnceAsync(List<GroveConfigKey> keys, Func<GroveConfigKey, string?> held, ChannelWriter<GroveConfigChange> changes, CancellationToken ct)
    {
        foreach (var change in await ListenAsync(keys.Select(k => (k, held(k))).ToList(), TimeSpan.Zero, ct))
        {
            changes.TryWrite(change);
        }
    }

    private static void WriteConfigs(Utf8JsonWriter w, IReadOnlyList<(GroveConfigKey Key, string? Md5)> held)
    {
        w.WriteStartArray("configs");
        foreach (var (key, md5) in held)
        {
            w.WriteStartObject();
            w.WriteString("tenant", key.Tenant);
            w.WriteString("group", key.Group);
            w.WriteString("dataId", key.DataId);
            w.WriteString("md5", md5 ?? "");
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
