using StackExchange.Redis;

namespace Grove.Tree.Redis.Internal;

/// <summary>
/// Reads that take one round trip instead of several: a child by name, and a page of children with their rows. The
/// scripts run on the server (EVALSHA once loaded) and read only keys of one mount.
/// </summary>
internal static class RedisScripts
{
    // Note that the scripts return only the row's JSON, bucket and inline length (HMGET j bk il), not the whole hash:
    // the other fields exist for the commit script's checks, and inline content is read with the row by id when needed.
    /// <summary>
    /// KEYS a log's pending feed stream; ARGV the first id to keep ('' keeps all), the first id to return, how many →
    /// entries {id, {field, value}}: the entries the feed took are dropped and the next ones read in one round trip.
    /// </summary>
    public const string Pending = """
        if ARGV[1] ~= '' then redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1]) end
        return redis.call('XRANGE', KEYS[1], ARGV[2], '+', 'COUNT', tonumber(ARGV[3]))
        """;

    private const string Child = """
        local id = redis.call('HGET', KEYS[1], ARGV[1])
        if not id then return false end
        return redis.call('HMGET', ARGV[2] .. id, 'j', 'bk', 'il')
        """;

    private const string Page = """
        local names = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))
        local out = {names[#names] or '', #names}
        if #names == 0 then return out end
        local ids = redis.call('HMGET', KEYS[2], unpack(names))
        for i = 1, #names do
          local id = ids[i]
          if id then
            local f = redis.call('HMGET', ARGV[3] .. id, 'j', 'bk', 'il')
            out[#out + 1] = f[1]
            out[#out + 1] = f[2]
            out[#out + 1] = f[3]
          else
            out[#out + 1] = false
            out[#out + 1] = false
            out[#out + 1] = false
          end
        end
        return out
        """;

    /// <summary>The child's row (null when there is none, or it expired).</summary>
    public static async Task<TreeObject?> ChildAsync(IDatabase db, RedisKeys keys, string parentId, string name)
    {
        var r = await db.ScriptEvaluateAsync(Child, [keys.Names(parentId)], [name, keys.Prefix + "o:"]);
        if (r.IsNull)
        {
            return null;
        }

        var f = (RedisResult[])r!;
        return RedisKeys.Decode((RedisValue)f[0], (RedisValue)f[1], (RedisValue)f[2]);
    }

    /// <summary>Up to <paramref name="take"/> children after <paramref name="after"/> into <paramref name="into"/> (none for expired rows), the last name read, how many names were read.</summary>
    public static async Task<(string Last, int Read)> PageAsync(IDatabase db, RedisKeys keys, string parentId, string? after, int take, List<TreeObject> into)
    {
        var r = (RedisResult[])(await db.ScriptEvaluateAsync(Page, [keys.Children(parentId), keys.Names(parentId)],
            [after is null ? "-" : "(" + after, take, keys.Prefix + "o:"]))!;
        for (var i = 2; i + 2 < r.Length; i += 3)
        {
            if (RedisKeys.Decode((RedisValue)r[i], (RedisValue)r[i + 1], (RedisValue)r[i + 2]) is { } row && row.ParentId == parentId)
            {
                into.Add(row);
            }
        }

        return (r[0].ToString(), (int)r[1]);
    }
}
