using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Grove.Tree.Redis;
using StackExchange.Redis;

namespace Grove.Queues.Internal;

/// <summary>
/// The message operations of queues on Redis, one script each and none through the tree: a push writes the file's
/// row with its content inline (a queue with <c>redis(Name)</c> storage, within that storage's cap) and its stream entry; a
/// claim takes a timed-out or new entry; an ack deletes the file and the entry; a nack gives the entry back.
/// </summary>
internal sealed class RedisMessages(TreeService tree, QueueOptions options)
{
    private const int DefaultDirMode = 0b111_101_101;

    /// <summary>The most bytes a push writes in one script: the Redis storage's cap.</summary>
    public int MaxBytes { get; } = RedisIndexLayout.MaxBlobBytes(tree.Options.Settings);

    private long Now => tree.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    // Note that a writer is reused on its thread (it is done with before the call returns); the buffer it fills is not.
    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads up to <paramref name="max"/> bytes (fewer when the stream ends first).</summary>
    public static async ValueTask<byte[]> ReadHeadAsync(Stream content, int max, CancellationToken ct)
    {
        if (content.CanSeek && content.Length - content.Position is var left && left >= 0 && left <= max)
        {
            // Note that a stream that knows its length (a push's content is often a MemoryStream) is read into one array of that size.
            var exact = new byte[left];
            var read = 0;
            while (read < exact.Length && await content.ReadAsync(exact.AsMemory(read), ct) is var got && got > 0)
            {
                read += got;
            }

            return read == exact.Length ? exact : exact[..read];
        }

        using var head = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (head.Length < max && await content.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, max - head.Length)), ct) is var n && n > 0)
            {
                head.Write(chunk, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return head.ToArray();
    }

    /// <summary>
    /// Pushes a message whose content fits the cap: the message, or null when the name is taken (the caller writes
    /// the file through the tree, which overwrites it).
    /// </summary>
    public async Task<QueueMessage?> PushAsync(TreeObject queue, RedisQueue redis, string name, byte[] content, string? user)
    {
        var now = Now;
        var id = SecretBytes.Id();
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var row = new TreeObject
        {
            Id = id,
            ParentId = redis.Local,
            Name = name,
            Race = ObjectRace.File,
            Type = TreeNames.TypeOf(name),
            Mime = TreeNames.MimeOf(name),
            Length = content.Length,
            Sha256 = sha,
            Creator = user,
            Modifier = user,
            Group = queue.Group,
            Mode = (queue.Mode == 0 ? DefaultDirMode : queue.Mode) & ~0b001_001_001,
            Created = now,
            Modified = now,
            Version = 1,
        };
        var json = Utf8Json(row);
        long seq;
        try
        {
            seq = (long)await redis.PushAsync(id, name, json, content, now, byText: false);
        }
        catch (RedisServerException e) when (RedisScripts.Forgot(e))
        {
            seq = (long)await redis.PushAsync(id, name, json, content, now, byText: true);
        }

        return seq switch
        {
            -1 => null,
            -2 => throw new QueueException(QueueErrorCode.NotAQueue, $"{queue.Path} is gone"),
            _ => new QueueMessage(seq, redis.PublicId(id), queue.Path + "/" + name, 0, now, now),
        };
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> messages one script each; a message delivered more than
    /// <see cref="QueueOptions.MaxDeliveries"/> times is handed to <paramref name="deadLetter"/> instead.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(TreeObject queue, RedisQueue redis, int max, long holdMs,
        Func<string, QueueStore.Row, CancellationToken, Task> deadLetter, CancellationToken ct)
    {
        var got = new List<ClaimedMessage>();
        while (got.Count < max && await ClaimOneAsync(queue, redis, holdMs, deadLetter, ct) is { } claimed)
        {
            got.Add(claimed);
        }

        return got;
    }

    /// <summary>Claims one message as <see cref="ClaimAsync"/> does (a single claim needs no list); null when none.</summary>
    public async Task<ClaimedMessage?> ClaimOneAsync(TreeObject queue, RedisQueue redis, long holdMs,
        Func<string, QueueStore.Row, CancellationToken, Task> deadLetter, CancellationToken ct)
    {
        while (true)
        {
            var secret = redis.NewSecret();
            var now = Now;
            RedisResult got;
            try
            {
                got = await redis.ClaimAsync(holdMs, secret, byText: false);
            }
            catch (RedisServerException e) when (RedisScripts.Forgot(e))
            {
                got = await redis.ClaimAsync(holdMs, secret, byText: true);
            }

            if (redis.Claimed(got, now, holdMs) is not { } row)
            {
                return null;
            }

            if (row.Deliveries > options.MaxDeliveries)
            {
                await deadLetter(queue.Path!, row, ct);
                continue;
            }

            return new ClaimedMessage(new QueueMessage(row.Seq, row.Obj, queue.Path + "/" + row.Name, row.Deliveries, row.Enqueued, row.VisibleAt),
                string.Create(CultureInfo.InvariantCulture, $"{row.Seq}.{secret}"));
        }
    }

    /// <summary>The row as <see cref="ObjectJson.ToJson"/> writes it, as UTF-8 (what the script stores; no text in between).</summary>
    private static ReadOnlyMemory<byte> Utf8Json(TreeObject row)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        var w = _writer ??= new Utf8JsonWriter(buffer, JsonOptions);
        w.Reset(buffer);
        ObjectJson.Write(w, row);
        w.Flush();
        w.Reset();
        return buffer.WrittenMemory;
    }

    /// <summary>Acks (deletes the file and the entry) or nacks a receipt of <paramref name="queue"/>.</summary>
    /// <exception cref="QueueException"><c>receipt_invalid</c> (malformed, or another queue's), <c>receipt_stale</c>.</exception>
    public async Task SettleAsync(TreeObject queue, RedisQueue redis, string receipt, bool nack, long delayMs)
    {
        var seq = Receipts.Parse(receipt);
        var secret = receipt[(receipt.IndexOf('.', StringComparison.Ordinal) + 1)..];
        CheckOwn(queue, redis, receipt);
        RedisResult settled;
        try
        {
            settled = await redis.SettleAsync(seq, secret, nack, delayMs, byText: false);
        }
        catch (RedisServerException e) when (RedisScripts.Forgot(e))
        {
            settled = await redis.SettleAsync(seq, secret, nack, delayMs, byText: true);
        }

        switch ((int)settled)
        {
            case 1:
                return;
            case 0:
                throw new QueueException(QueueErrorCode.ReceiptStale, $"the message of receipt {receipt} left {queue.Path}");
            default:
                throw new QueueException(QueueErrorCode.ReceiptStale, $"receipt {receipt} expired or was used: the message may be delivered again");
        }
    }

    /// <summary>Refuses (<c>receipt_invalid</c>) a well-formed receipt that another queue issued.</summary>
    public static void CheckOwn(TreeObject queue, RedisQueue redis, string receipt)
    {
        if (!receipt.AsSpan(receipt.IndexOf('.', StringComparison.Ordinal) + 1).StartsWith(redis.Tag, StringComparison.Ordinal))
        {
            throw new QueueException(QueueErrorCode.ReceiptInvalid, $"receipt {receipt} belongs to another queue, not {queue.Path}");
        }
    }
}
