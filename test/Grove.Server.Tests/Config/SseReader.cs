using System.Text;
using System.Text.Json;

namespace Grove.Server.Tests.Config;

/// <summary>Reads server-sent events from a streaming answer, each with a deadline (no sleeps).</summary>
internal sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public sealed record Event(string Name, string? Id, string Data)
    {
        public JsonElement Json
        {
            get
            {
                using var doc = JsonDocument.Parse(Data);
                return doc.RootElement.Clone();
            }
        }
    }

    /// <summary>The next event (comments skipped), or a TimeoutException after <paramref name="seconds"/>.</summary>
    public async Task<Event> NextAsync(int seconds = 10)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        string? name = null, id = null;
        var data = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no event within {seconds} s");
            }

            if (line is null)
            {
                throw new EndOfStreamException("the stream ended");
            }

            if (line.Length == 0)
            {
                if (name is not null || data.Length > 0)
                {
                    return new Event(name ?? "message", id, data.ToString());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "data":
                    data.Append(value);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The next event that is not the given kind (skips hellos).</summary>
    public async Task<Event> NextExceptAsync(string skip, int seconds = 10)
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

    public void Dispose() => _reader.Dispose();
}
