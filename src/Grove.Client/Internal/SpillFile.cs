using Microsoft.Win32.SafeHandles;

namespace Grove.Client.Internal;

/// <summary>
/// A reporter's overflow on disk: encoded batches appended one after another, read back by offset, truncated when
/// every batch in it has been delivered, and deleted when closed (also if the process dies: it is opened delete-on-close).
/// </summary>
internal sealed class SpillFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    private SpillFile(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Bytes written since the last reset.</summary>
    public long Length { get; private set; }

    public static SpillFile Create(string directory, string taskId)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Join(directory, $"grove-log-{taskId}-{Guid.NewGuid():N}.spill");
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        return new SpillFile(handle, path);
    }

    /// <summary>Appends a batch; returns its offset.</summary>
    public long Append(ReadOnlySpan<byte> batch)
    {
        var at = Length;
        RandomAccess.Write(_handle, batch, at);
        Length += batch.Length;
        return at;
    }

    public byte[] Read(long offset, int length)
    {
        var bytes = new byte[length];
        var done = 0;
        while (done < length)
        {
            var n = RandomAccess.Read(_handle, bytes.AsSpan(done), offset + done);
            if (n == 0)
            {
                throw new IOException($"the spill file {Path} is shorter than expected");
            }

            done += n;
        }

        return bytes;
    }

    /// <summary>Empties the file (when no queued batch lies in it any more).</summary>
    public void Reset()
    {
        RandomAccess.SetLength(_handle, 0);
        Length = 0;
    }

    public void Dispose() => _handle.Dispose();
}
