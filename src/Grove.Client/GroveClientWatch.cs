using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>The tree's change feed through a <see cref="GroveClient"/> (docs/watch-hooks-queues.md).</summary>
public static class GroveClientWatch
{
    private const int MaxFailures = 5;

    extension(GroveClient client)
    {
        /// <summary>One page of committed changes under <paramref name="path"/> after revision <paramref name="after"/>.</summary>
        public Task<GroveChangePage> ChangesAsync(string path, long after = 0, int? limit = null, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, "changes/" + TreeRoute.Encode(path) + GroveClient.Query(
                ("after", after.ToString(CultureInfo.InvariantCulture)),
                ("limit", limit?.ToString(CultureInfo.InvariantCulture)))), e => new GroveChangePage(
                    e.TryGetProperty("changes", out var items) ? Wire.List(items, GroveChange.FromJson) : [],
                    Wire.Long(e, "revision"), Wire.Bool(e, "resync")), ct);

        /// <summary>
        /// Follows committed changes under <paramref name="path"/> as they happen, after revision
        /// <paramref name="from"/> (null: from now), reconnecting after a dropped connection from the last revision
        /// seen. A <see cref="GroveChange.IsResync"/> item means changes were lost to retention: re-read, then go on.
        /// </summary>
        public async IAsyncEnumerable<GroveChange> WatchAsync(string path, long? from = null, [EnumeratorCancellation] CancellationToken ct = default)
        {
            var route = "watch/" + TreeRoute.Encode(path);
            var last = from;
            var failures = 0;
            while (true)
            {
                ServerSentEvents? opened = null;
                var request = client.Request(HttpMethod.Get, route + GroveClient.Query(("from", last?.ToString(CultureInfo.InvariantCulture))));
                request.Headers.Accept.ParseAdd("text/event-stream");
                try
                {
                    var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                    opened = new ServerSentEvents(request, response, await response.Content.ReadAsStreamAsync(ct));
                }
                catch (Exception x) when (x is IOException or HttpRequestException && !ct.IsCancellationRequested && failures < MaxFailures)
                {
                    request.Dispose();
                }

                await using (var events = opened)
                {
                    while (events is not null)
                    {
                        ServerSentEvent? e;
                        try
                        {
                            e = await events.NextAsync(ct);
                        }
                        catch (Exception x) when (x is IOException or HttpRequestException && !ct.IsCancellationRequested && failures < MaxFailures)
                        {
                            e = null;
                        }

                        if (e is null)
                        {
                            break;
                        }

                        failures = 0;
                        using var doc = JsonDocument.Parse(e.Data);
                        var revision = doc.RootElement.GetProperty("revision").GetInt64();
                        last = revision;
                        if (e.Event == "change")
                        {
                            yield return GroveChange.FromJson(doc.RootElement);
                        }
                        else if (e.Event == "resync")
                        {
                            yield return GroveChange.Resync(revision);
                        }
                    }
                }

                if (++failures > MaxFailures)
                {
                    throw new HttpRequestException($"watching {path} failed {MaxFailures} times in a row");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * failures), ct);
            }
        }
    }
}
