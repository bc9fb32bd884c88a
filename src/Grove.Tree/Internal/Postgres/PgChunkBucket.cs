using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

/// <summary>
/// The PostgreSQL chunk bucket (<c>pgbm</c>), GridFS-like: a blob is an ordered list of 1 MiB chunks, each stored once
/// under its own SHA-256, so every node sharing the database reads the same content and repeated chunks are kept
/// once. New content goes through a local swap file, then into PostgreSQL in one transaction, before the metadata
/// that points at it is committed.
/// </summary>
internal sealed partial class PgChunkBucket : IBucket
{
    internal const int ChunkSize = 1 << 20;
    private readonly NpgsqlDataSource _source;
    private readonly string _swap;
    private readonly TimeProvider _time;

    public PgChunkBucket(string name, NpgsqlDataSource source, string swap, TimeProvider time)
    {
        Name = name;
        _source = source;
        _swap = swap;
        _time = time;
        Directory.CreateDirectory(swap);
    }

    public string Name { get; }

    public bool ContentAddressed => true;

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static NpgsqlParameter P(string name, NpgsqlDbType type, object value) => new(name, type) { Value = value };

    public SwapWriter CreateWriter(int inlineThreshold) => new(() => Path.Combine(_swap, ObjectIds.New()), inlineThreshold);

    public async Task PlaceAsync(SwapWriter writer, TreeObject target, CancellationToken ct)
    {
        var sha = await writer.FinishAsync(ct);
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var guard = new NpgsqlCommand("SELECT pg_advisory_xact_lock_shared(@k)", connection, tx))
        {
            guard.Parameters.Add(P("k", NpgsqlDbType.Bigint, PgChunkSchema.SweepLock));
            await guard.ExecuteNonQueryAsync(ct);
        }

        await using (var touch = new NpgsqlCommand("UPDATE pg_blobs SET touched=@now WHERE bk=@bk AND sha256=@sha", connection, tx))
        {
            touch.Parameters.Add(P("now", NpgsqlDbType.Bigint, Now));
            touch.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
            touch.Parameters.Add(P("sha", NpgsqlDbType.Text, sha));
            if (await touch.ExecuteNonQueryAsync(ct) == 1)
            {
                await tx.CommitAsync(ct); // Already stored: de-duplicated.
                return;
            }
        }

        await UploadAsync(writer, sha, connection, tx, ct);
        await tx.CommitAsync(ct);
    }

    private async Task UploadAsync(SwapWriter writer, string sha, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var content = writer.OpenContent();
        var buffer = new byte[ChunkSize];
        var seq = 0;
        while (true)
        {
            var n = await content.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, ct);
            if (n == 0 && seq > 0)
            {
                break;
            }

            var chunk = Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, n)));
            await using var batch = new NpgsqlBatch(connection, tx);
            var put = new NpgsqlBatchCommand("INSERT INTO pg_chunks(sha256, data) VALUES(@c, @d) ON CONFLICT (sha256) DO NOTHING");
            put.Parameters.Add(P("c", NpgsqlDbType.Text, chunk));
            put.Parameters.Add(P("d", NpgsqlDbType.Bytea, new ArraySegment<byte>(buffer, 0, n)));
            var link = new NpgsqlBatchCommand("INSERT INTO pg_manifest(bk, sha256, seq, chunk) VALUES(@bk, @sha, @seq, @c) ON CONFLICT DO NOTHING");
            link.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
            link.Parameters.Add(P("sha", NpgsqlDbType.Text, sha));
            link.Parameters.Add(P("seq", NpgsqlDbType.Integer, seq));
            link.Parameters.Add(P("c", NpgsqlDbType.Text, chunk));
            batch.BatchCommands.Add(put);
            batch.BatchCommands.Add(link);
            await batch.ExecuteNonQueryAsync(ct);
            seq++;
            if (n < ChunkSize)
            {
                break;
            }
        }

        await using var blob = new NpgsqlCommand(
            "INSERT INTO pg_blobs(bk, sha256, len, chunk_size, touched) VALUES(@bk, @sha, @len, @cs, @now) ON CONFLICT (bk, sha256) DO UPDATE SET touched=excluded.touched",
            connection, tx);
        blob.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
        blob.Parameters.Add(P("sha", NpgsqlDbType.Text, sha));
        blob.Parameters.Add(P("len", NpgsqlDbType.Bigint, writer.Length));
        blob.Parameters.Add(P("cs", NpgsqlDbType.Integer, ChunkSize));
        blob.Parameters.Add(P("now", NpgsqlDbType.Bigint, Now));
        await blob.ExecuteNonQueryAsync(ct);
    }

    public async Task<Stream> OpenReadAsync(TreeObject obj, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT len, chunk_size FROM pg_blobs WHERE bk=@bk AND sha256=@sha");
        cmd.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
        cmd.Parameters.Add(P("sha", NpgsqlDbType.Text, obj.Sha256!));
        await using var rd = await cmd.ExecuteReaderAsync(ct);
        if (!await rd.ReadAsync(ct))
        {
            throw new TreeException(TreeErrorCode.NotFound, $"content of {obj.Path ?? obj.Id} is missing from bucket '{Name}' (sha256 {obj.Sha256}); run fsck");
        }

        return new PgChunkStream(_source, Name, obj.Sha256!, rd.GetInt64(0), rd.GetInt32(1));
    }

    public ValueTask<int> RemoveStaleSwapAsync(DateTimeOffset olderThan, CancellationToken ct)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_swap).Where(f => File.GetLastWriteTimeUtc(f) < olderThan.UtcDateTime))
        {
            File.Delete(file);
            removed++;
        }

        return ValueTask.FromResult(removed);
    }
}
