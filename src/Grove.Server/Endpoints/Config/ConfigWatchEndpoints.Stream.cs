using System.Globalization;
using System.Text;
using System.Text.Json;
using Grove.Config;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Grove.Server.Endpoints.Config;

internal static partial class ConfigWatchEndpoints
{
    private static async Task StreamAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access, ConfigWatchHub hub, IHostApplicationLifetime life, List<Watched> watched)
    {
        if (watched.Count is 0 or > MaxKeys)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"watch 1 to {MaxKeys} configs, not {watched.Count}");
        }

        CheckSecrets(ctx, engine, access, watched);
        var client = access.Client(ctx);
        var stream = hub.TryOpen(watched.Select(w => w.Key).Distinct().ToList(), client.Ip, access.Options.MaxLongPollsPerIp, access.Options.MaxLongPolls)
            ?? throw new ConfigException(ConfigErrorCode.RateLimited, $"too many push streams open{(client.Ip is null ? "" : $" from {client.Ip}")}; try again later")
            {
                RetryAfter = TimeSpan.FromSeconds(1 + Random.Shared.Next(0, 10)),
            };
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, life.ApplicationStopping);
            var response = ctx.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache, no-store";
            response.Headers["X-Accel-Buffering"] = "no";
            await Write(response, $"retry: 3000\nevent: hello\ndata: {{\"revision\":{engine.Revision}}}\n\n", stop.Token);

            // What the client is known to hold of each key ("" for nothing). Note that the stream subscribed before
            // this first look: a change made meanwhile is marked, and compared again below.
            var known = new Dictionary<ConfigKey, string>();
            var lastSeen = LastEventId(ctx);
            var since = lastSeen is { } rev ? engine.ChangesSince(rev)?.Select(c => c.Key).ToHashSet() : null;
            if (lastSeen is not null && since is null)
            {
                await Write(response, "event: reset\ndata: {}\n\n", stop.Token);
            }

            foreach (var w in watched)
            {
                known[w.Key] = w.Md5 ?? (since?.Contains(w.Key) == true ? "?" : engine.GetMd5(w.Key, client) ?? "");
            }

            IEnumerable<ConfigKey> look = known.Keys.ToList();
            while (true)
            {
                foreach (var key in look)
                {
                    var revision = engine.Revision;
                    var current = engine.GetMd5(key, client) ?? "";
                    if (known.TryGetValue(key, out var held) && !string.Equals(held, current, StringComparison.OrdinalIgnoreCase))
                    {
                        known[key] = current;
                        await Write(response, ChangeEvent(key, current, revision), stop.Token);
                    }
                }

                await response.Body.FlushAsync(stop.Token);
                while (!await stream.WaitAsync(access.Options.HeartbeatInterval, stop.Token))
                {
                    await Write(response, ": keep-alive\n\n", stop.Token);
                    await response.Body.FlushAsync(stop.Token);
                }

                look = stream.Drain();
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested || life.ApplicationStopping.IsCancellationRequested)
        {
            // The client went away, or the server is stopping: the client reconnects with its Last-Event-ID.
        }
        finally
        {
            hub.Close(stream);
        }
    }

    private static Task Write(HttpResponse response, string text, CancellationToken ct) => response.WriteAsync(text, Encoding.UTF8, ct);

    /// <summary>A <c>change</c> event: the store revision as its id, the key and the MD5 the client now gets (null: removed).</summary>
    private static string ChangeEvent(ConfigKey key, string md5, long revision)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            ConfigJson.Key(w, key);
            WriteMd5(w, md5.Length == 0 ? null : md5);
            w.WriteNumber("revision", revision);
            w.WriteEndObject();
        }

        return string.Create(CultureInfo.InvariantCulture, $"id: {revision}\nevent: change\ndata: {Encoding.UTF8.GetString(buffer.WrittenSpan)}\n\n");
    }
}
