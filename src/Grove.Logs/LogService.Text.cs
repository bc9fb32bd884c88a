using Grove.Logs.Blocks;
using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Grove.Logs.Internal;
using Grove.Logs.Internal.Archive;

namespace Grove.Logs;

public sealed partial class LogService
{
    /// <summary>
    /// Writes the log as UTF-8 text, a line per line (<c>\n</c>), optionally each prefixed by its ISO-8601 time stamp,
    /// streaming in bounded memory whatever the size. A reader that goes away just ends the copy with its exception.
    /// </summary>
    public async Task WriteTextAsync(string taskId, Stream output, LogTextOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new LogTextOptions();
        if (options.From < 0 || options.To < options.From)
        {
            throw LogException.Range("from must be 0 or more and to not below it");
        }

        RequireId(taskId);
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        var used = 0;
        try
        {
            await foreach (var line in ScanAsync(taskId, options.From, options.To ?? long.MaxValue, ct))
            {
                var need = Encoding.UTF8.GetMaxByteCount(line.Text.Length) + 40;
                if (used + need > buffer.Length)
                {
                    await output.WriteAsync(buffer.AsMemory(0, used), ct);
                    used = 0;
                    if (need > buffer.Length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(need);
                    }
                }

                if (options.Timestamps)
                {
                    var stamp = DateTimeOffset.FromUnixTimeMilliseconds(line.Timestamp).UtcDateTime
                        .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z' ", CultureInfo.InvariantCulture);
                    used += Encoding.ASCII.GetBytes(stamp, buffer.AsSpan(used));
                }

                used += Encoding.UTF8.GetBytes(line.Text, buffer.AsSpan(used));
                buffer[used++] = (byte)'\n';
            }

            await output.WriteAsync(buffer.AsMemory(0, used), ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Every line numbered in <c>[from, to)</c>, in order: page by page from the live copy, and block by block from
    /// the archive (each block decompressed once) — including when the live copy is archived midway.
    /// </summary>
    internal async IAsyncEnumerable<LogLine> ScanAsync(string taskId, long from, long to, [EnumeratorCancellation] CancellationToken ct)
    {
        while (from < to)
        {
            var page = await ReadPageAsync(taskId, from, ScanPage, ct);
            if (page.Storage == LogStorage.Archived)
            {
                await foreach (var line in ScanArchiveAsync(taskId, from, to, ct))
                {
                    yield return line;
                }

                yield break;
            }

            foreach (var line in page.Lines)
            {
                if (line.Number >= to)
                {
                    yield break;
                }

                yield return line;
            }

            if (page.Lines.Count == 0)
            {
                yield break;
            }

            from = page.Next;
        }
    }

    private async IAsyncEnumerable<LogLine> ScanArchiveAsync(string taskId, long from, long to, [EnumeratorCancellation] CancellationToken ct)
    {
        var obj = await FindObjectAsync(taskId, ct) ?? throw LogException.NotFound(taskId);
        await using var s = await _tree.OpenReadAsync(obj.Path!, ct);
        var index = await IndexOfAsync(obj, s, ct);
        await foreach (var (raw, length) in ArchiveReader.BlocksAsync(s, index, from, Counters, taskId, ct))
        {
            List<LogLine> lines;
            try
            {
                lines = LineBlockReader.ReadAll(raw.AsSpan(0, length), from);
            }
            catch (FormatException e)
            {
                throw LogException.Corrupt($"archive {taskId}: a block is malformed: {e.Message}");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(raw);
            }

            foreach (var line in lines)
            {
                if (line.Number >= to)
                {
                    yield break;
                }

                yield return line;
            }
        }
    }
}
