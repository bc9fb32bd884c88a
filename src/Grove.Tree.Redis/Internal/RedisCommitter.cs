using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Grove.Tree.Storage;
using StackExchange.Redis;

namespace Grove.Tree.Redis.Internal;

/// <summary>
/// Applies a <see cref="ChangeSet"/> in one round trip (<see cref="RedisCommitScript"/>): Redis runs a script
/// atomically, so the checks (versions, name slots) and the writes (rows, names, expiries, reference counts) cannot
/// interleave with another node's change; a refused set changes nothing.
/// </summary>
internal sealed class RedisCommitter(IDatabase db, RedisKeys keys, TimeProvider time)
{
    public async Task CommitAsync(ChangeSet changes, CancellationToken ct)
    {
        if (changes.HasSql)
        {
            throw new TreeException(TreeErrorCode.NotSupported, "the 'redis' index runs no SQL");
        }

        ct.ThrowIfCancellationRequested();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var args = new List<RedisValue>(5 + changes.Updates.Count + changes.Inserts.Count)
        {
            keys.Prefix, RedisValue.Null, now, changes.Feed?.Log ?? "", changes.Feed is { } feed ? feed.Entry : RedisValue.EmptyString,
            changes.Feed is { Taken: > 0 } f ? Text(f.Taken + 1) + "-0" : "",
        };
        args[1] = Payload(changes, args);
        var r = (RedisResult[])(await db.ScriptEvaluateAsync(RedisCommitScript.Text, [], [.. args]))!;
        switch (r[0].ToString())
        {
            case "ok":
                if (changes.Feed is { } entry)
                {
                    entry.Sequence = (long)r[1];
                }

                return;
            case "exists":
                throw TreeException.Exists($"'{r[1]}' in its directory");
            default:
                throw new TreeException(TreeErrorCode.Conflict, $"object {r[1]} changed or vanished during the operation");
        }
    }

    /// <summary>The change set as JSON; each row's own JSON is appended to <paramref name="args"/> and named by its position.</summary>
    private static byte[] Payload(ChangeSet changes, List<RedisValue> args)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("d");
            foreach (var (id, expected) in changes.Deletes)
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("e", Text(expected));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("u");
            foreach (var (row, expected) in changes.Updates)
            {
                Row(w, row, expected, args);
            }

            w.WriteEndArray();
            w.WriteStartArray("i");
            foreach (var row in changes.Inserts)
            {
                Row(w, row, null, args);
            }

            w.WriteEndArray();
            w.WriteStartArray("r");
            foreach (var g in changes.Refs.GroupBy(x => (x.Bucket, x.Sha256)))
            {
                w.WriteStartObject();
                w.WriteString("b", g.Key.Bucket);
                w.WriteString("s", g.Key.Sha256);
                w.WriteString("l", Text(g.Last().Length));
                w.WriteString("d", Text(g.Sum(x => (long)x.Delta)));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Row(Utf8JsonWriter w, TreeObject row, long? expected, List<RedisValue> args)
    {
        w.WriteStartObject();
        w.WriteString("id", row.Id);
        if (expected is { } e)
        {
            w.WriteString("e", Text(e));
        }

        w.WriteString("pid", row.ParentId);
        w.WriteString("nm", row.Name);
        w.WriteString("v", Text(row.Version));
        w.WriteString("bk", row.Bucket ?? "");
        var json = new ArrayBufferWriter<byte>(512);
        using (var jw = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            ObjectJson.Write(jw, row.Path is null ? row : row with { Path = null });
        }

        args.Add(json.WrittenSpan.ToArray());
        w.WriteNumber("j", args.Count); // Lua's ARGV counts from 1.
        // Note that an inline row without its bytes keeps the content the index holds (a move, a metadata change).
        w.WriteString("il", InlineRows.IsInline(row) ? Text(row.Length) : "");
        if (InlineRows.Content(row) is { } inline)
        {
            args.Add(inline);
            w.WriteNumber("b", args.Count);
        }

        w.WriteString("x", row.Expires is { } x ? Text(x) : "");
        w.WriteBoolean("f", row is { Race: ObjectRace.File, Sha256: not null } && !InlineRows.IsInline(row));
        w.WriteEndObject();
    }

    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);
}
