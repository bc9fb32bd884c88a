using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Grove.Client.Internal;
using Grove.Logs;

namespace Grove.Client;

/// <summary>Task logs through a <see cref="GroveClient"/>: tasks, appends, pages, search, follow and download (docs/logs.md).</summary>
public static class GroveClientLogs
{
    private static readonly MediaTypeHeaderValue BatchType = new(LogBatchCodec.ContentType);

    private const int MaxFollowFailures = 5;

    private static string LogRoute(string taskId, string suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        return "logs/" + Uri.EscapeDataString(taskId) + suffix;
    }

    private static async Task<ServerSentEvents> OpenEventsAsync(GroveClient client, string route, CancellationToken ct)
    {
        var request = client.Request(HttpMethod.Get, route);
        request.Headers.Accept.ParseAdd("text/event-stream");
        try
        {
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return new ServerSentEvents(request, response, await response.Content.ReadAsStreamAsync(ct));
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    extension(GroveClient client)
    {
        /// <summary>Creates a running task log. To stream lines into it, prefer <see cref="GroveLogReporter"/>.</summary>
        public Task<GroveLogTask> CreateLogTaskAsync(string name, IReadOnlyList<string>? labels = null, CancellationToken ct = default)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            var body = JsonBody.Create(w =>
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteStartArray("labels");
                foreach (var label in labels ?? [])
                {
                    w.WriteStringValue(label);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return client.SendJsonAsync(client.Request(HttpMethod.Post, "logs", body), GroveLogTask.FromJson, ct);
        }

        /// <summary>A task and the state of its log.</summary>
        public Task<GroveLogTask> GetLogTaskAsync(string taskId, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, LogRoute(taskId, "")), GroveLogTask.FromJson, ct);

        /// <summary>One page of tasks, newest first (tasks the caller may not read are left out).</summary>
        public Task<GrovePage<GroveLogTask>> ListLogTasksAsync(GroveLogTaskQuery? query = null, CancellationToken ct = default)
        {
            query ??= new GroveLogTaskQuery();
            var args = new List<(string, string?)>
            {
                ("status", query.Status is { } s ? GroveLogStatusNames.Name(s) : null),
                ("name", query.Name),
                ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)),
                ("after", query.After),
            };
            args.AddRange(query.Labels.Select(l => ("label", (string?)l)));
            return client.SendJsonAsync(client.Request(HttpMethod.Get, "logs" + GroveClient.Query([.. args])), e => new GrovePage<GroveLogTask>(
                e.TryGetProperty("items", out var items) ? Wire.List(items, GroveLogTask.FromJson) : [], Wire.OptStr(e, "next")), ct);
        }

        /// <summary>Deletes a task, its lines and its archive.</summary>
        public Task DeleteLogTaskAsync(string taskId, CancellationToken ct = default) =>
            client.SendEmptyAsync(client.Request(HttpMethod.Delete, LogRoute(taskId, "")), ct);

        /// <summary>Tells the server a running task is alive without sending lines (resets its idle timeout).</summary>
        public Task HeartbeatLogTaskAsync(string taskId, CancellationToken ct = default) =>
            client.SendEmptyAsync(client.Request(HttpMethod.Post, LogRoute(taskId, "/heartbeat")), ct);

        /// <summary>Finishes a task with a status and an exit code; no line is accepted after. Repeating the same finish is fine.</summary>
        public Task<GroveLogTask> FinishLogTaskAsync(string taskId, GroveLogStatus status, int? exitCode = null, CancellationToken ct = default)
        {
            var body = JsonBody.Create(w =>
            {
                w.WriteStartObject();
                w.WriteString("status", GroveLogStatusNames.Name(status));
                if (exitCode is { } x)
                {
                    w.WriteNumber("exitCode", x);
                }

                w.WriteEndObject();
            });
            return client.SendJsonAsync(client.Request(HttpMethod.Post, LogRoute(taskId, "/finish"), body), GroveLogTask.FromJson, ct);
        }

        /// <summary>
        /// Appends lines with consecutive numbers (the task's first line is 0), Brotli-compressed. Lines already stored
        /// are skipped (a retry is applied once); a batch past the next line is refused with <c>gap</c> and
        /// <see cref="GroveApiException.Expected"/>. <see cref="GroveLogReporter"/> does all of this for you.
        /// </summary>
        public Task<GroveLogAppend> AppendLogLinesAsync(string taskId, IReadOnlyList<LogLine> lines, CancellationToken ct = default) =>
            client.AppendLogBatchAsync(taskId, LogBatchCodec.Encode(lines), ct);

        /// <summary>Appends a batch already encoded with <see cref="LogBatchCodec.Encode"/>.</summary>
        public Task<GroveLogAppend> AppendLogBatchAsync(string taskId, ReadOnlyMemory<byte> batch, CancellationToken ct = default)
        {
            var content = new ReadOnlyMemoryContent(batch);
            content.Headers.ContentType = BatchType;
            return client.SendJsonAsync(client.Request(HttpMethod.Post, LogRoute(taskId, "/lines"), content),
                e => new GroveLogAppend((int)Wire.Long(e, "accepted"), (int)Wire.Long(e, "duplicates"), Wire.Long(e, "next")), ct);
        }

        /// <summary>
        /// A page of lines from <paramref name="from"/> (0 is the first line); <paramref name="limit"/> null for the
        /// server's default (1,000). Past the end: an empty page with the total.
        /// </summary>
        public Task<GroveLogPage> ReadLogAsync(string taskId, long from = 0, int? limit = null, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, LogRoute(taskId, "/lines") + GroveClient.Query(
                ("from", from.ToString(CultureInfo.InvariantCulture)), ("limit", limit?.ToString(CultureInfo.InvariantCulture)))), GroveLogPage.FromJson, ct);

        /// <summary>The last <paramref name="lines"/> lines.</summary>
        public Task<GroveLogPage> TailLogAsync(string taskId, int lines = 100, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, LogRoute(taskId, "/tail") + GroveClient.Query(("n", lines.ToString(CultureInfo.InvariantCulture)))), GroveLogPage.FromJson, ct);

        /// <summary>
        /// Lines matching a search, streamed from the server as it scans (NDJSON), in order of number. A bad pattern
        /// fails at once with <c>invalid_pattern</c> and the reason.
        /// </summary>
        public async IAsyncEnumerable<LogLine> SearchLogAsync(string taskId, GroveLogSearch search, [EnumeratorCancellation] CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(search);
            var route = LogRoute(taskId, "/search") + GroveClient.Query(
                ("q", search.Pattern),
                ("regex", search.Regex ? "true" : null),
                ("ignoreCase", search.IgnoreCase ? "true" : null),
                ("from", search.From.ToString(CultureInfo.InvariantCulture)),
                ("max", search.MaxMatches?.ToString(CultureInfo.InvariantCulture)));
            using var request = client.Request(HttpMethod.Get, route);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length > 0)
                {
                    using var doc = JsonDocument.Parse(line);
                    yield return GroveLogPage.LineOf(doc.RootElement);
                }
            }
        }

        /// <summary>
        /// Lines from <paramref name="from"/> on as they arrive (server-sent events), across the server's archiving, until
        /// the task is finished and every line was delivered. A dropped connection is resumed after the last line seen.
        /// </summary>
        public async IAsyncEnumerable<LogLine> FollowLogAsync(string taskId, long from = 0, [EnumeratorCancellation] CancellationToken ct = default)
        {
            var next = from;
            var failures = 0;
            while (true)
            {
                var ended = false;
                ServerSentEvents? opened;
                try
                {
                    opened = await OpenEventsAsync(client, LogRoute(taskId, "/follow") + GroveClient.Query(("from", next.ToString(CultureInfo.InvariantCulture))), ct);
                }
                catch (Exception x) when (x is IOException or HttpRequestException && !ct.IsCancellationRequested && failures < MaxFollowFailures)
                {
                    opened = null;
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
                        catch (Exception x) when (x is IOException or HttpRequestException && !ct.IsCancellationRequested && failures < MaxFollowFailures)
                        {
                            e = null;
                        }

                        if (e is null)
                        {
                            break;
                        }

                        if (e.Event == "end")
                        {
                            ended = true;
                            break;
                        }

                        using var doc = JsonDocument.Parse(e.Data);
                        var line = GroveLogPage.LineOf(doc.RootElement);
                        next = line.Number + 1;
                        failures = 0;
                        yield return line;
                    }
                }

                if (ended)
                {
                    yield break;
                }

                // The connection dropped without the end event: resume after the last line seen, a little later.
                if (++failures > MaxFollowFailures)
                {
                    throw new HttpRequestException($"following task {taskId} failed {MaxFollowFailures} times in a row");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * failures), ct);
            }
        }

        /// <summary>
        /// Downloads the log as UTF-8 text (a <c>\n</c> after each line) into <paramref name="destination"/>, gzip-compressed
        /// on the wire; returns the text bytes written. Streams whatever the size.
        /// </summary>
        public async Task<long> DownloadLogAsync(string taskId, Stream destination, GroveLogTextOptions? options = null, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(destination);
            options ??= new GroveLogTextOptions();
            var route = LogRoute(taskId, "/download") + GroveClient.Query(
                ("timestamps", options.Timestamps ? "true" : null),
                ("from", options.From == 0 ? null : options.From.ToString(CultureInfo.InvariantCulture)),
                ("to", options.To?.ToString(CultureInfo.InvariantCulture)));
            using var request = client.Request(HttpMethod.Get, route);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await using var text = response.Content.Headers.ContentEncoding.Contains("gzip")
                ? new GZipStream(body, CompressionMode.Decompress)
                : body;
            var buffer = new byte[GroveClient.TransferBuffer];
            long total = 0;
            int n;
            while ((n = await text.ReadAsync(buffer, ct)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, n), ct);
                total += n;
            }

            return total;
        }
    }
}
