using Grove.Logs.Blocks;
using System.Buffers.Binary;

namespace Grove.Logs.Internal.Local;

internal sealed partial class LocalTask
{
    /// <summary>Writes the seal record; later appends fail with <c>finished</c>.</summary>
    public async Task<LiveState> SealAsync(LogTaskStatus status, int? exitCode, long now, CancellationToken ct)
    {
        await _write.WaitAsync(ct);
        try
        {
            ThrowIfGone();
            if (State.Sealed is not null)
            {
                throw LogException.Finished(_id);
            }

            var seg = _segments[^1];
            using var buffer = new ByteBuffer(64);
            var at = SegmentFormat.BeginRecord(buffer, SegmentFormat.Seal);
            var span = buffer.GetSpan(14);
            span[0] = (byte)status;
            span[1] = exitCode is null ? (byte)0 : (byte)1;
            BinaryPrimitives.WriteInt32LittleEndian(span[2..], exitCode ?? 0);
            BinaryPrimitives.WriteInt64LittleEndian(span[6..], now);
            buffer.Advance(14);
            SegmentFormat.EndRecord(buffer, at);
            WriteAll([(seg, buffer)], []);
            lock (_gate)
            {
                seg.Length += buffer.Length;
                _state = _state with { Sealed = status, ExitCode = exitCode, SealedAt = now, Activity = now };
                return _state;
            }
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Closes the files and removes the task's folder (renamed first, so a crash never leaves half a task).</summary>
    public async Task DeleteAsync(CancellationToken ct)
    {
        await _write.WaitAsync(ct);
        try
        {
            lock (_gate)
            {
                if (_deleted)
                {
                    return;
                }

                _deleted = true;
                foreach (var s in _segments)
                {
                    s.Dispose();
                }
            }

            var doomed = _dir + ".deleting";
            if (Directory.Exists(_dir))
            {
                // Note that no sync is needed: a delete lost in a crash is redone (the catalog says archived).
                Directory.Move(_dir, doomed);
            }

            if (Directory.Exists(doomed))
            {
                Directory.Delete(doomed, recursive: true);
            }
        }
        finally
        {
            _write.Release();
        }
    }
}
