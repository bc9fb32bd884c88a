using System.Text;

namespace Grove.Server.Tests.Logs;

/// <summary>One server-sent event: its <c>event</c> name (null for plain data), <c>id</c> and data.</summary>
internal sealed record SseEvent(string? Event, string? Id, string Data);

/// <summary>Reads server-sent events from a streamed answer, one at a time; comments (keep-alives) are skipped.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationToken _ct;

    private SseReader(HttpResponseMessage response, StreamReader reader, CancellationToken ct)
    {
        _response = response;
        _reader = reader;
        _ct = ct;
    }

    public static Task<SseReader> OpenAsync(HttpClient client, string url, CancellationToken ct) =>
        OpenAsync(client, new HttpRequestMessage(HttpMethod.Get, url), ct);

    public static async Task<SseReader> OpenAsync(HttpClient client, HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await PeekAsync(response));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        return new SseReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8), ct);
    }

    /// <summary>The next event; fails when the stream ended.</summary>
    public async Task<SseEvent> NextAsync() =>
        await NextOrEndAsync() ?? throw new InvalidOperationException("the event stream ended");

    /// <summary>The next event, or null when the stream ended.</summary>
    public async Task<SseEvent?> NextOrEndAsync()
    {
        string? name = null, id = null;
        var data = new StringBuilder();
        var any = false;
        while (await _reader.ReadLineAsync(_ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (any)
                {
                    return new SseEvent(name, id, data.ToString());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var cut = line.IndexOf(':', StringComparison.Ordinal);
            var field = cut < 0 ? line : line[..cut];
            var value = cut < 0 ? "" : line[(cut + 1)..].TrimStart(' ');
            any = true;
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : "").Append(value);
                    break;
                default:
                    break;
            }
        }

        return null;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<string> PeekAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
}
