using System.Text;

namespace Grove.Client.Internal;

/// <summary>One server-sent event: its name (null for plain messages), id and data.</summary>
internal sealed record ServerSentEvent(string? Event, string? Id, string Data);

/// <summary>Reads server-sent events from a streamed answer; comments (keep-alives) are skipped.</summary>
internal sealed class ServerSentEvents(HttpRequestMessage request, HttpResponseMessage response, Stream body) : IAsyncDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    /// <summary>The next event, or null when the stream ended.</summary>
    public async Task<ServerSentEvent?> NextAsync(CancellationToken ct)
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
                    return new ServerSentEvent(name, id, data.ToString());
                }

                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            any = true;
            var cut = line.IndexOf(':', StringComparison.Ordinal);
            var field = cut < 0 ? line : line[..cut];
            var value = cut < 0 ? "" : line[(cut + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

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
        response.Dispose();
        request.Dispose();
        return ValueTask.CompletedTask;
    }
}
