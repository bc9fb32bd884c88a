using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

/// <summary>A seekable read stream over a chunked blob: fetches the chunk under the position, one query per chunk.</summary>
internal sealed class PgChunkStream(NpgsqlDataSource source, string bucket, string sha256, long length, int chunkSize) : Stream
{
    private byte[]? _chunk;
    private int _chunkSeq = -1;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return target;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.IsEmpty)
        {
            return 0;
        }

        var seq = (int)(_position / chunkSize);
        if (seq != _chunkSeq)
        {
            _chunk = await FetchAsync(seq, cancellationToken);
            _chunkSeq = seq;
        }

        var within = (int)(_position - ((long)seq * chunkSize));
        var n = Math.Min(buffer.Length, _chunk!.Length - within);
        if (n <= 0)
        {
            throw new IOException($"chunk {seq} of blob {sha256} is shorter than its manifest says");
        }

        _chunk.AsMemory(within, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private async Task<byte[]> FetchAsync(int seq, CancellationToken ct)
    {
        await using var cmd = source.CreateCommand(
            "SELECT c.data FROM pg_manifest m JOIN pg_chunks c ON c.sha256 = m.chunk WHERE m.bk=@bk AND m.sha256=@sha AND m.seq=@seq");
        cmd.Parameters.Add(new NpgsqlParameter("bk", NpgsqlDbType.Text) { Value = bucket });
        cmd.Parameters.Add(new NpgsqlParameter("sha", NpgsqlDbType.Text) { Value = sha256 });
        cmd.Parameters.Add(new NpgsqlParameter("seq", NpgsqlDbType.Integer) { Value = seq });
        return await cmd.ExecuteScalarAsync(ct) as byte[]
            ?? throw new TreeException(TreeErrorCode.NotFound, $"chunk {seq} of blob {sha256} is missing; run fsck");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
