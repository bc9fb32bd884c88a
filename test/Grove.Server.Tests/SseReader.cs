using System.Text;
using System.Text.Json;

namespace Grove.Server.Tests;

/// <summary>One server-sent event: its <c>event</c> name (null for plain data), <c>id</c> and data.</summary>
internal sealed record SseEvent(string? Event, string? Id, string Data)
{
    /// <summary>The event's type as a browser's EventSource names it ("message" when none was sent).</summary>
    public string Name => Event ?? "message";

    /// <summary>The data parsed as JSON.</summary>
    public JsonElement Json
    {
        get
        {
            using var doc = JsonDocument.Parse(Data);
            return doc.RootElement.Clone();
        }
    }
}

/// <summary>
/// Reads server-sent events from a streamed answer, one at a time; comments (keep-alives) are skipped. Every wait
/// has a deadline: the reader's token, and for <see cref="NextAsync(int)"/> a number of seconds (no sleeps).
/// </summary>
internal sealed class SseReader : IDisposable, IAsyncDisposable
{
    private readonly HttpResponseMessage? _response;
    private readonly StreamReader _reader;
    private readonly CancellationToken _ct;

    /// <summary>Reads the events of a stream the caller opened.</summary>
    public SseReader(Stream stream)
        : this(null, stream, CancellationToken.None)
    {
    }

    private SseReader(HttpResponseMessage? response, Stream stream, CancellationToken ct)
    {
        _response = response;
        _reader = new StreamReader(stream, Encoding.UTF8);
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
        return new SseReader(response, await response.Content.ReadAsStreamAsync(ct), ct);
    }

    /// <summary>The next event; a TimeoutException after <paramref name="seconds"/>, an EndOfStreamException when the stream ended.</summary>
    public async Task<SseEvent> NextAsync(int seconds = 10)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            return await ReadAsync(deadline.Token) ?? throw new EndOfStreamException("the event stream ended");
        }
        catch (OperationCanceledException) when (!_ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no event within {seconds} s");
        }
    }

    /// <summary>The next event, or null when the stream ended.</summary>
    public Task<SseEvent?> NextOrEndAsync() => ReadAsync(_ct);

    /// <summary>The next event of another type than <paramref name="skip"/> (skips hellos).</summary>
    public async Task<SseEvent> NextExceptAsync(string skip, int seconds = 10)
    {
        while (true)
        {
            var e = await NextAsync(seconds);
            if (e.Name != skip)
            {
                return e;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<SseEvent?> ReadAsync(CancellationToken ct)
    {
        string? name = null, id = null;
        var data = new StringBuilder();
        var any = false;
        while (await _reader.ReadLineAsync(ct) is { } line)
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

    private static async Task<string> PeekAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
}
