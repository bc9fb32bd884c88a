namespace Grove.Queues.Internal;

/// <summary>
/// The server-side scripts of a queue on Redis Streams. Each runs atomically, so two consumers on two nodes never
/// claim the same entry and a stale receipt never acks. Keys of one queue (prefix <c>grove:&lt;Key&gt;:mq:&lt;queue&gt;:</c>):
/// <c>s</c> the stream (entry id <c>n-1</c>, fields obj, enq) with consumer group <c>g</c>, <c>seq</c> the counter
/// behind n, <c>o</c> obj → n, <c>nm</c> obj → the file's current name, <c>r</c> entry id → the secret of its
/// current claim.
/// </summary>
/// <remarks>
/// Visibility time-outs use the stream's own idle timer: a claim for V ms sets the entry's idle time to T − V (T =
/// the longest visibility allowed), so <c>XAUTOCLAIM … min-idle T</c> takes it back exactly V ms later, whatever V
/// each claim asked for.
/// </remarks>
internal static class RedisQueueScripts
{
    /// <summary>KEYS s seq o nm queues; ARGV obj name enq member → n, or -1 when the file is queued already.</summary>
    public const string Enqueue = """
        if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('XGROUP', 'CREATE', KEYS[1], 'g', '0', 'MKSTREAM') end
        if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return -1 end
        local n = redis.call('INCR', KEYS[2])
        redis.call('XADD', KEYS[1], n .. '-1', 'obj', ARGV[1], 'enq', ARGV[3])
        redis.call('HSET', KEYS[3], ARGV[1], n)
        redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
        redis.call('SADD', KEYS[5], ARGV[4])
        return n
        """;

    /// <summary>KEYS s o nm r; ARGV obj → 1 when the file's entry was removed.</summary>
    public const string Remove = """
        local n = redis.call('HGET', KEYS[2], ARGV[1])
        if not n then return 0 end
        local id = n .. '-1'
        if redis.call('EXISTS', KEYS[1]) == 1 then
          redis.call('XACK', KEYS[1], 'g', id)
          redis.call('XDEL', KEYS[1], id)
        end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], id)
        return 1
        """;

    /// <summary>KEYS o s; ARGV obj → {n, enq} of the file's entry, or nil.</summary>
    public const string Entry = """
        local n = redis.call('HGET', KEYS[1], ARGV[1])
        if not n then return false end
        local e = redis.call('XRANGE', KEYS[2], n .. '-1', n .. '-1')
        if #e == 0 then return false end
        for i = 1, #e[1][2], 2 do
          if e[1][2][i] == 'enq' then return {n, e[1][2][i + 1]} end
        end
        return {n, '0'}
        """;

    /// <summary>KEYS o nm; ARGV obj name: a rename inside the queue keeps the entry.</summary>
    public const string Rename = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
        return 1
        """;

    /// <summary>
    /// KEYS s r nm; ARGV T V secret → {id, deliveries, obj, enq, name} or nil: first an entry whose claim timed out
    /// (XAUTOCLAIM), else the next new one (XREADGROUP).
    /// </summary>
    public const string Claim = """
        local s = KEYS[1]
        if redis.call('EXISTS', s) == 0 then return false end
        local T, V = tonumber(ARGV[1]), tonumber(ARGV[2])
        local e
        local start = '0-0'
        for i = 1, 50 do
          -- Note that COUNT 1 claims at most one entry (each claim counts as a delivery) while scanning ten.
          local got = redis.call('XAUTOCLAIM', s, 'g', 'c', T, start, 'COUNT', 1)
          if type(got[2][1]) == 'table' then e = got[2][1] end
          start = got[1]
          if e or start == '0-0' then break end
        end
        if not e then
          local rd = redis.call('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 1, 'STREAMS', s, '>')
          if not rd then return false end
          e = rd[1][2][1]
        end
        local id = e[1]
        redis.call('XCLAIM', s, 'g', 'c', 0, id, 'IDLE', T - V, 'JUSTID')
        local p = redis.call('XPENDING', s, 'g', id, id, 1)
        redis.call('HSET', KEYS[2], id, ARGV[3])
        local obj, enq = '', '0'
        for i = 1, #e[2], 2 do
          if e[2][i] == 'obj' then obj = e[2][i + 1] elseif e[2][i] == 'enq' then enq = e[2][i + 1] end
        end
        return {id, p[1][4], obj, enq, redis.call('HGET', KEYS[3], obj) or ''}
        """;

    /// <summary>
    /// KEYS s r nm; ARGV id secret T mode idle → {'ok', obj, name} or {'stale'}. The receipt holds while its secret is
    /// the entry's current one and the claim has not timed out; mode 'nack' then makes the entry claimable after the delay.
    /// </summary>
    public const string Settle = """
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return {'stale'} end
        local p = redis.call('XPENDING', KEYS[1], 'g', ARGV[1], ARGV[1], 1)
        if #p == 0 or p[1][3] >= tonumber(ARGV[3]) then return {'stale'} end
        local e = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        if #e == 0 then return {'stale'} end
        local obj = ''
        for i = 1, #e[1][2], 2 do
          if e[1][2][i] == 'obj' then obj = e[1][2][i + 1] end
        end
        if ARGV[4] == 'nack' then
          redis.call('XCLAIM', KEYS[1], 'g', 'c', 0, ARGV[1], 'IDLE', ARGV[5], 'JUSTID')
          redis.call('HDEL', KEYS[2], ARGV[1])
        end
        return {'ok', obj, redis.call('HGET', KEYS[3], obj) or ''}
        """;
}
