using System.Threading.Channels;
using Grove.Client;
using Grove.Logs;

namespace Grove.Cli.Logs;

/// <summary>Batches lines into the local engine: whatever has queued up goes in one append (at most 10,000 lines).</summary>
internal sealed class LocalLogWriter : ITaskLogWriter
{
    private const int MaxBatch = 10_000;

    private readonly LogService _logs;
    private readonly string _id;
    private readonly Channel<(string Text, long Time)> _lines = Channel.CreateBounded<(string, long)>(new BoundedChannelOptions(100_000) { SingleReader = true });
    private readonly Task _pump;
    private long _next;

    public LocalLogWriter(LogService logs, string id)
    {
        _logs = logs;
        _id = id;
        _pump = Task.Run(PumpAsync);
    }

    public void Write(string line)
    {
        var item = (line, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
        if (_lines.Writer.TryWrite(item))
        {
            return;
        }

        try
        {
            // Note that a full queue makes the command's output wait, as with the server's reporter.
            _lines.Writer.WriteAsync(item).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            // The engine failed; FinishAsync reports it.
        }
    }

    public async Task<bool> FinishAsync(GroveLogStatus status, int? exitCode, TextWriter error, CancellationToken ct)
    {
        _lines.Writer.TryComplete();
        await _pump.WaitAsync(ct);
        await _logs.FinishAsync(_id, (LogTaskStatus)(int)status, exitCode, ct);
        await _logs.ArchivePendingAsync(ct);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        try
        {
            await _pump;
        }
        catch (LogException)
        {
            // Reported by FinishAsync when it ran.
        }
    }

    private async Task PumpAsync()
    {
        var batch = new List<LogLine>(MaxBatch);
        try
        {
            while (await _lines.Reader.WaitToReadAsync())
            {
                while (batch.Count < MaxBatch && _lines.Reader.TryRead(out var item))
                {
                    batch.Add(new LogLine(_next++, item.Time, item.Text));
                }

                await _logs.AppendAsync(_id, batch);
                batch.Clear();
            }
        }
        catch (Exception e)
        {
            _lines.Writer.TryComplete(e);
            throw;
        }
    }
}
