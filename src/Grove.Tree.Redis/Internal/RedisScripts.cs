using StackExchange.Redis;

namespace Grove.Tree.Redis.Internal;

/// <summary>
/// Reads that take one round trip instead of several: a child by name, and a page of children with their rows. The
/// scripts run on the server (EVALSHA once loaded) and read only keys of one mount.
/// </summary>
internal static class RedisScripts
{
    private const string Child = """
        local id = redis.call('HGET', KEYS[1], ARGV[1])
        if not id then return false end
        return redis.call('HGETALL', ARGV[2] .. id)
        """;

    private const string Page = """
        local names = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))
        local rows = {}
        for i, nm in ipairs(names) do
          local id = redis.call('HGET', KEYS[2], nm)
          if id then rows[i] = redis.call('HGETALL', ARGV[3] .. id) else rows[i] = {} end
        end
        return {names[#names] or '', #names, rows}
        """;

    public static async Task<HashEntry[]?> ChildAsync(IDatabase db, RedisKeys keys, string parentId, string name)
    {
        var r = await db.ScriptEvaluateAsync(Child, [keys.Names(parentId)], [name, keys.Prefix + "o:"]);
        return r.IsNull ? null : Entries(r);
    }

    /// <summary>Up to <paramref name="take"/> children after <paramref name="after"/>: their rows (empty where expired), the last name, how many names were read.</summary>
    public static async Task<(List<HashEntry[]> Rows, string Last, int Read)> PageAsync(IDatabase db, RedisKeys keys, string parentId, string? after, int take)
    {
        var r = (RedisResult[])(await db.ScriptEvaluateAsync(Page, [keys.Children(parentId), keys.Names(parentId)],
            [after is null ? "-" : "(" + after, take, keys.Prefix + "o:"]))!;
        var rows = ((RedisResult[])r[2]!).Select(Entries).ToList();
        return (rows, r[0].ToString(), (int)r[1]);
    }

    private static HashEntry[] Entries(RedisResult r)
    {
        var items = (RedisResult[])r!;
        var entries = new HashEntry[items.Length / 2];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new HashEntry((RedisValue)items[2 * i], (RedisValue)items[(2 * i) + 1]);
        }

        return entries;
    }
}
