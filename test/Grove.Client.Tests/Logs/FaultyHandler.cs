using System.Net;
using System.Text;
using Grove.Logs;

namespace Grove.Client.Tests.Logs;

/// <summary>
/// Sits between a client and the real server to stage the failures a reporter must survive: the server "down"
/// (connection errors), 503 answers, answers lost after the server applied a batch, and batches the server
/// acknowledged but lost. Records every batch sent.
/// </summary>
internal sealed class FaultyHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<IReadOnlyList<LogLine>> _batches = [];
    private int _lostAnswers;
    private int _unavailable;
    private int _forgetBatch = -1;
    private int _batchIndex;

    /// <summary>While true, every call fails as a refused connection would.</summary>
    public volatile bool Down;

    /// <summary>Batches decoded as sent (including retries), in order.</summary>
    public IReadOnlyList<IReadOnlyList<LogLine>> Batches
    {
        get
        {
            lock (_batches)
            {
                return [.. _batches];
            }
        }
    }

    public int Heartbeats;

    /// <summary>The next <paramref name="count"/> appends reach the server, but their answers are lost.</summary>
    public void LoseAnswers(int count) => _lostAnswers = count;

    /// <summary>The next <paramref name="count"/> calls answer 503 without reaching the server.</summary>
    public void Unavailable(int count) => _unavailable = count;

    /// <summary>The append batch number <paramref name="index"/> (0-based) is acknowledged without reaching the server.</summary>
    public void ForgetBatch(int index) => _forgetBatch = index;

    public GroveClient ClientOf(Uri server, string? token) =>
        new(new HttpClient(this) { Timeout = Timeout.InfiniteTimeSpan }, new GroveClientOptions { BaseAddress = server, Token = token });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Down)
        {
            throw new HttpRequestException("connection refused (staged)");
        }

        var path = request.RequestUri!.AbsolutePath;
        if (path.EndsWith("/heartbeat", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref Heartbeats);
        }

        if (!path.EndsWith("/lines", StringComparison.Ordinal) || request.Method != HttpMethod.Post)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var lines = LogBatchCodec.Decode(body, int.MaxValue, int.MaxValue);
        int index;
        lock (_batches)
        {
            _batches.Add(lines);
            index = _batchIndex++;
        }

        if (Interlocked.Decrement(ref _unavailable) >= 0)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("""{"code":"unavailable","detail":"staged"}""", Encoding.UTF8, "application/problem+json") };
        }

        if (index == _forgetBatch)
        {
            var next = lines[^1].Number + 1;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"accepted":{{lines.Count}},"duplicates":0,"next":{{next}}}""", Encoding.UTF8, "application/json") };
        }

        var copy = new ByteArrayContent(body);
        copy.Headers.ContentType = request.Content.Headers.ContentType;
        request.Content = copy;
        var response = await base.SendAsync(request, cancellationToken);
        if (Interlocked.Decrement(ref _lostAnswers) >= 0)
        {
            response.Dispose();
            throw new HttpRequestException("the answer was lost (staged)");
        }

        return response;
    }
}
