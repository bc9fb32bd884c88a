using System.Globalization;
using Grove.Tree.Redis.Internal;
using StackExchange.Redis;

namespace Grove.Tree.Redis;

/// <summary>
/// The keys of a <c>redis(Key)</c> mount and of <c>redis(Name)</c> storage, and server-side Lua functions that add and
/// remove a file row exactly as the index's own commits do (row hash, name slot, children; for content in a blob, the
/// content listing and the blob's reference count). For an engine that keeps files of a mount in step with data of its own in one script (a queue
/// on Redis Streams writes a message's row and its stream entry together); the layout stays defined here, once.
/// </summary>
public static class RedisIndexLayout
{
    /// <summary>The setting key of the Redis bucket's cap (under <c>Grove</c>).</summary>
    public const string MaxBlobBytesKey = "Redis:MaxBlobBytes";

    /// <summary>The prefix of every key of the index of <c>redis(<paramref name="key"/>)</c>.</summary>
    public static string IndexPrefix(string? key) => new RedisKeys(key ?? RedisNames.Default).Prefix;

    /// <summary>The prefix of the blobs of <c>redis(<paramref name="bucket"/>)</c> storage (a hash per blob: <c>d</c> the bytes, <c>t</c> written).</summary>
    public static string BlobPrefix(string? bucket) => "grove:bm:" + (bucket ?? RedisNames.Default) + ":";

    /// <summary>The name rows store in <c>bk</c> for <c>redis(<paramref name="bucket"/>)</c> storage.</summary>
    public static string BucketName(string? bucket) => "redis:" + bucket;

    /// <summary>The most bytes one blob of Redis storage holds (<see cref="MaxBlobBytesKey"/>, default 1 MiB).</summary>
    public static int MaxBlobBytes(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.FirstOrDefault(kv => string.Equals(kv.Key, MaxBlobBytesKey, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } m
            ? int.Parse(m, CultureInfo.InvariantCulture)
            : RedisBucketProvider.DefaultMaxBytes;
    }

    /// <summary>The row of <paramref name="localId"/> as the <c>redis(<paramref name="key"/>)</c> index holds it now (not as a cache remembers it), or null.</summary>
    public static async Task<TreeObject?> ReadRowAsync(IDatabase db, string? key, string localId)
    {
        ArgumentNullException.ThrowIfNull(db);
        var f = await db.HashGetAsync(new RedisKeys(key ?? RedisNames.Default).Object(localId), RedisKeys.RowFields);
        return RedisKeys.Decode(f);
    }

    /// <summary>
    /// Lua functions to paste at the top of a script (all keys are built from the prefix <c>p</c> of
    /// <see cref="IndexPrefix"/>, so the script runs on one Redis server, not a cluster):
    /// <c>grove_insert_inline(p, id, pid, nm, j, len, bytes, extra, value)</c> adds a version-1 file row whose JSON is
    /// <c>j</c> and whose content, <c>len</c> bytes, lives in the row (no blob, no reference count, not in the content
    /// listing), with one more hash field <c>extra</c> = <c>value</c> for the caller (false when the name is taken,
    /// nothing changed); <c>grove_delete_file(p, id, pid, now, extra)</c> removes a file row of directory <c>pid</c> and
    /// releases its content when that is a blob: the row's fields pid, nm, bk, j, il and <c>extra</c> (false when it is
    /// gone or in another directory, nothing changed);
    /// <c>grove_row(p, id)</c> is the row's parent id and name, or nil.
    /// </summary>
    public const string LuaFunctions = LuaInsertInline + "\n" + LuaRow + "\n" + LuaDeleteFile;

    /// <summary><c>grove_insert_inline</c> alone (a script pays for each function it defines, on every run).</summary>
    public const string LuaInsertInline = """
        local function grove_insert_inline(p, id, pid, nm, j, len, bytes, extra, value)
          if redis.call('HSETNX', p..'n:'..pid, nm, id) == 0 then
            local holder = redis.call('HGET', p..'n:'..pid, nm)
            if holder ~= id and redis.call('EXISTS', p..'o:'..holder) == 1 then return false end
            redis.call('HSET', p..'n:'..pid, nm, id)
          end
          redis.call('HSET', p..'o:'..id, 'id', id, 'pid', pid, 'nm', nm, 'v', '1', 'bk', '', 'j', j, 'il', len, 'inl', bytes, extra, value)
          redis.call('ZADD', p..'c:'..pid, 0, nm)
          return true
        end
        """;

    /// <summary><c>grove_row</c> alone.</summary>
    public const string LuaRow = """
        local function grove_row(p, id)
          local f = redis.call('HMGET', p..'o:'..id, 'pid', 'nm')
          if not f[1] then return nil end
          return f
        end
        """;

    /// <summary><c>grove_delete_file</c> with the reference counting it needs.</summary>
    public const string LuaDeleteFile = """
        local function grove_ref(p, b, s, l, d, now)
          local key = p..'b:'..b
          local cur = redis.call('HGET', key, s)
          local refs, zero = 0, ''
          if cur then
            local _, r2, z = string.match(cur, '^(%d+)|(%-?%d+)|(%d*)$')
            refs = tonumber(r2)
            zero = z
          end
          refs = refs + d
          local member = b..'\n'..s
          if refs <= 0 then
            if zero == '' then zero = now end
            redis.call('HSET', key, s, l..'|'..refs..'|'..zero)
            redis.call('ZADD', p..'z', zero, member)
          else
            redis.call('HSET', key, s, l..'|'..refs..'|')
            if zero ~= '' then redis.call('ZREM', p..'z', member) end
          end
        end
        local function grove_delete_file(p, id, pid, now, extra)
          local f = redis.call('HMGET', p..'o:'..id, 'pid', 'nm', 'bk', 'j', 'il', extra or 'il')
          if f[1] ~= pid then return false end
          redis.call('DEL', p..'o:'..id)
          if redis.call('HGET', p..'n:'..f[1], f[2]) == id then
            redis.call('HDEL', p..'n:'..f[1], f[2])
            redis.call('ZREM', p..'c:'..f[1], f[2])
          end
          if string.find(f[4], '"expi":', 1, true) then redis.call('ZREM', p..'x', id) end
          if f[5] then return f end
          redis.call('ZREM', p..'f', id)
          -- Note that the built-in keys come first in a row's JSON and strings in it are escaped: the first match is theirs.
          local sha = string.match(f[4], '"sha256":"(%x+)"')
          if sha and not string.find(f[4], '"race":"DIR"', 1, true) then
            grove_ref(p, f[3] or '', sha, string.match(f[4], '"len":(%d+)') or '0', -1, now)
          end
          return f
        end
        """;
}
