using System.Globalization;
using System.Net;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>Queue mounts (<c>mq</c>) through a <see cref="GroveClient"/> (docs/watch-hooks-queues.md).</summary>
public static class GroveClientQueues
{
    private static string Route(string action, string queue) => "mq/" + action + "/" + TreeRoute.Encode(queue);

    extension(GroveClient client)
    {
        /// <summary>Enqueues <paramref name="content"/> as a new message file (named by time unless <paramref name="name"/> is given).</summary>
        public Task<GroveQueueMessage> PushAsync(string queue, Stream content, string? name = null, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(content);
            var body = new StreamContent(content);
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            return client.SendJsonAsync(client.Request(HttpMethod.Post, Route("push", queue) + GroveClient.Query(("name", name)), body), GroveQueueMessage.FromJson, ct);
        }

        /// <summary>Claims the first visible message for <paramref name="visibility"/>; null when the queue has none visible.</summary>
        public async Task<GroveQueueMessage?> PopAsync(string queue, TimeSpan? visibility = null, CancellationToken ct = default)
        {
            using var request = client.Request(HttpMethod.Post, Route("pop", queue) + GroveClient.Query(
                ("visibility", visibility is { } v ? ((long)Math.Ceiling(v.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null)));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return null;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var doc = await System.Text.Json.JsonDocument.ParseAsync(stream, default, ct);
            return GroveQueueMessage.FromJson(doc.RootElement);
        }

        /// <summary>Claims up to <paramref name="max"/> visible messages at once (1 to 1000), each with its receipt; empty when none is visible.</summary>
        public Task<IReadOnlyList<GroveQueueMessage>> PopManyAsync(string queue, int max, TimeSpan? visibility = null, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Post, Route("pop", queue) + GroveClient.Query(
                ("max", max.ToString(CultureInfo.InvariantCulture)),
                ("visibility", visibility is { } v ? ((long)Math.Ceiling(v.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null))),
                e => e.TryGetProperty("items", out var items) ? Wire.List(items, GroveQueueMessage.FromJson) : (IReadOnlyList<GroveQueueMessage>)[], ct);

        /// <summary>
        /// Acknowledges several claimed messages of one queue in one call; the receipts refused as stale come back, the
        /// others are acked. A malformed or another queue's receipt refuses the whole call (<c>receipt_invalid</c>).
        /// </summary>
        public Task<GroveQueueAckResult> AckManyAsync(string queue, IReadOnlyList<string> receipts, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(receipts);
            var body = JsonBody.Create(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("receipts");
                foreach (var r in receipts)
                {
                    w.WriteStringValue(r);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return client.SendJsonAsync(client.Request(HttpMethod.Post, Route("ack", queue), body), GroveQueueAckResult.FromJson, ct);
        }

        /// <summary>Acknowledges a claimed message: its file is deleted. Refused with <c>receipt_stale</c> or <c>receipt_invalid</c>.</summary>
        public Task AckAsync(string queue, string receipt, CancellationToken ct = default) =>
            client.SendEmptyAsync(client.Request(HttpMethod.Post, Route("ack", queue) + GroveClient.Query(("receipt", receipt))), ct);

        /// <summary>Gives a claimed message back, visible again after <paramref name="delay"/>.</summary>
        public Task NackAsync(string queue, string receipt, TimeSpan? delay = null, CancellationToken ct = default) =>
            client.SendEmptyAsync(client.Request(HttpMethod.Post, Route("nack", queue) + GroveClient.Query(("receipt", receipt),
                ("delay", delay is { } d ? ((long)d.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null))), ct);

        /// <summary>The queue's messages in FIFO order, with its depth and oldest message.</summary>
        public Task<GroveQueueListing> ListQueueAsync(string queue, long after = 0, int? limit = null, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, Route("ls", queue) + GroveClient.Query(
                ("after", after.ToString(CultureInfo.InvariantCulture)), ("limit", limit?.ToString(CultureInfo.InvariantCulture)))),
                e => new GroveQueueListing(GroveQueueStats.FromJson(e), e.TryGetProperty("items", out var items) ? Wire.List(items, GroveQueueMessage.FromJson) : []), ct);

        /// <summary>Every queue the caller may list, empty ones included.</summary>
        public Task<IReadOnlyList<GroveQueueStats>> QueueStatsAsync(CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, "mq/stats"),
                e => e.TryGetProperty("items", out var items) ? Wire.List(items, GroveQueueStats.FromJson) : (IReadOnlyList<GroveQueueStats>)[], ct);
    }
}
