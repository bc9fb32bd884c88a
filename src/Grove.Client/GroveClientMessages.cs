using System.Globalization;
using System.Net.Http.Headers;

namespace Grove.Client;

/// <summary>Partner messages through a <see cref="GroveClient"/>: send, list, show, print (docs/messages.md).</summary>
public static class GroveClientMessages
{
    private static string Seg(string s)
    {
        ArgumentException.ThrowIfNullOrEmpty(s);
        return Uri.EscapeDataString(s);
    }

    private static string QueryString(GroveMessageQuery q, params (string, string?)[] more)
    {
        var args = new List<(string, string?)>
        {
            ("partner", q.Partner),
            ("type", q.Type),
            ("from", q.From?.ToString("O", CultureInfo.InvariantCulture)),
            ("to", q.To?.ToString("O", CultureInfo.InvariantCulture)),
            ("where", q.Where),
            ("ids", q.Ids is { Count: > 0 } ids ? string.Join(',', ids) : null),
            ("limit", q.Limit?.ToString(CultureInfo.InvariantCulture)),
            ("after", q.After),
        };
        args.AddRange((q.Keys ?? new Dictionary<string, string>()).Select(k => ("key." + k.Key, (string?)k.Value)));
        args.AddRange(more);
        return GroveClient.Query([.. args]);
    }

    extension(GroveClient client)
    {
        /// <summary>Sends one message (JSON or XML as the partner's mapping says); a resend with the same source id or key returns the first answer.</summary>
        public Task<GroveMessageReceipt> SendMessageAsync(string partner, string type, byte[] body, string? sourceId = null, string? idempotencyKey = null, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(body);
            var content = new ByteArrayContent(body);
            var xml = body.AsSpan().TrimStart(" \t\r\n\uFEFF"u8) is [(byte)'<', ..];
            content.Headers.ContentType = new MediaTypeHeaderValue(xml ? "application/xml" : "application/json") { CharSet = "utf-8" };
            var request = client.Request(HttpMethod.Post, $"messages/{Seg(partner)}/{Seg(type)}" + GroveClient.Query(("sourceId", sourceId)), content);
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            return client.SendJsonAsync(request, GroveMessageReceipt.FromJson, ct);
        }

        /// <summary>One page of messages, newest first.</summary>
        public Task<GrovePage<GroveMessage>> ListMessagesAsync(GroveMessageQuery? query = null, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, "messages" + QueryString(query ?? new GroveMessageQuery())), e => new GrovePage<GroveMessage>(
                e.GetProperty("items").EnumerateArray().Select(GroveMessage.FromJson).ToArray(),
                e.TryGetProperty("next", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null), ct);

        /// <summary>One message with display names, by id.</summary>
        public Task<GroveMessage> GetMessageAsync(long id, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, "messages/" + id.ToString(CultureInfo.InvariantCulture)), GroveMessage.FromJson, ct);

        /// <summary>The message a partner sent with its own id (for migrated messages, the legacy id).</summary>
        public Task<GroveMessage> FindMessageAsync(string partner, string sourceId, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, $"messages/{Seg(partner)}/by-source/{Seg(sourceId)}"), GroveMessage.FromJson, ct);

        /// <summary>Writes the PDF of the message a partner sent with its own id to <paramref name="output"/>.</summary>
        public Task PrintMessageAsync(string partner, string sourceId, Stream output, CancellationToken ct = default) =>
            CopyAsync(client, $"messages/{Seg(partner)}/by-source/{Seg(sourceId)}/pdf", output, ct);

        /// <summary>Writes a batch print of the query's messages: one PDF, or a zip of one PDF per message (<paramref name="zip"/>).</summary>
        public Task PrintMessagesAsync(GroveMessageQuery query, Stream output, bool zip = false, CancellationToken ct = default) =>
            CopyAsync(client, "messages/print" + QueryString(query, ("format", zip ? "zip" : "pdf")), output, ct);
    }

    private static async Task CopyAsync(GroveClient client, string route, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var request = client.Request(HttpMethod.Get, route);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(output, ct);
    }
}
