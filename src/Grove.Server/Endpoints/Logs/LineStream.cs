using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using Grove.Logs;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Endpoints.Logs;

/// <summary>
/// Streams lines to a response as server-sent events (<c>id: n</c>, <c>data: {"n","t","text"}</c>) or NDJSON. Lines
/// are written as the source yields them and flushed whenever the source would wait (or 64 KiB are pending), so a
/// catching-up follower gets big writes and a live one gets each line at once. An idle SSE stream gets a comment every
/// <see cref="KeepAlive"/> so proxies keep it open.
/// </summary>
internal sealed class LineStream
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private const int FlushBytes = 64 * 1024;
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly HttpContext _ctx;
    private readonly PipeWriter _out;
    private readonly Utf8JsonWriter _json;
    private readonly bool _sse;
    private long _pending;

    private LineStream(HttpContext ctx, bool sse)
    {
        _ctx = ctx;
        _out = ctx.Response.BodyWriter;
        _json = new Utf8JsonWriter(_out, Options);
        _sse = sse;
    }

    /// <summary>True when the request asks for server-sent events (<c>Accept: text/event-stream</c> or <c>format=sse</c>).</summary>
    public static bool WantsSse(HttpRequest r, bool fallback) =>
        r.Query["format"].ToString() is { Length: > 0 } f ? f == "sse"
        : r.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) || fallback;

    /// <summary>Starts the answer: headers for SSE or NDJSON; nothing is sent until the first flush.</summary>
    public static LineStream Start(HttpContext ctx, bool sse)
    {
        var r = ctx.Response;
        r.StatusCode = StatusCodes.Status200OK;
        r.ContentType = sse ? "text/event-stream; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        r.Headers.CacheControl = "no-cache, no-store";
        r.Headers["X-Accel-Buffering"] = "no";
        r.Headers.XContentTypeOptions = "nosniff";
        return new LineStream(ctx, sse);
    }

    /// <summary>Copies <paramref name="lines"/> to the answer until the source ends; the request's abort stops it.</summary>
    public async Task PumpAsync(IAsyncEnumerable<LogLine> lines, TimeProvider time)
    {
        var ct = _ctx.RequestAborted;
        var e = lines.GetAsyncEnumerator(ct);
        Task<bool>? waiting = null;
        try
        {
            await _out.FlushAsync(ct);
            while (true)
            {
                var next = e.MoveNextAsync();
                if (!next.IsCompleted)
                {
                    waiting = next.AsTask();
                    await FlushAsync();
                    while (_sse && !await WaitAsync(waiting, time, ct))
                    {
                        WriteRaw(": keepalive\n\n"u8);
                        await FlushAsync();
                    }

                    var more = await waiting;
                    waiting = null;
                    if (!more)
                    {
                        break;
                    }
                }
                else if (!await next)
                {
                    break;
                }

                Write(e.Current);
                if (_pending >= FlushBytes)
                {
                    await FlushAsync();
                }
            }

            await FlushAsync();
        }
        finally
        {
            // Note that an async iterator may not be disposed while a MoveNextAsync is running (NotSupportedException):
            // when the client left mid-wait, let the source see the abort and stop first.
            if (waiting is not null)
            {
                await waiting.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            await e.DisposeAsync();
        }
    }

    /// <summary>Writes one line: an SSE event with its number as the event id, or an NDJSON line.</summary>
    public void Write(LogLine line)
    {
        if (_sse)
        {
            WriteRaw("id: "u8);
            WriteRaw(System.Text.Encoding.ASCII.GetBytes(line.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            WriteRaw("\ndata: "u8);
        }

        LogJson.WriteLine(_json, line);
        Commit();
        WriteRaw(_sse ? "\n\n"u8 : "\n"u8);
    }

    /// <summary>Writes a named SSE event whose data is one JSON value.</summary>
    public void WriteEvent(string name, Action<Utf8JsonWriter> data)
    {
        WriteRaw("event: "u8);
        WriteRaw(System.Text.Encoding.ASCII.GetBytes(name));
        WriteRaw("\ndata: "u8);
        data(_json);
        Commit();
        WriteRaw("\n\n"u8);
    }

    public async Task FlushAsync()
    {
        if (_pending > 0)
        {
            _pending = 0;
            await _out.FlushAsync(_ctx.RequestAborted);
        }
    }

    private void Commit()
    {
        var before = _json.BytesCommitted;
        _json.Flush();
        _pending += _json.BytesCommitted - before;
        _json.Reset(_out);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        _pending += bytes.Length;
    }

    private static async Task<bool> WaitAsync(Task waiting, TimeProvider time, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var done = await Task.WhenAny(waiting, Task.Delay(KeepAlive, time, stop.Token));
        await stop.CancelAsync();
        ct.ThrowIfCancellationRequested();
        return done == waiting;
    }
}
