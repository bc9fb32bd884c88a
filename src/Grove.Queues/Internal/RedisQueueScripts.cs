using Grove.Tree.Redis;

namespace Grove.Queues.Internal;

/// <summary>
/// The server-side scripts of a queue on Redis Streams: each message operation is one script, run atomically, so two
/// consumers on two nodes never claim the same entry and a stale receipt never acks. Keys of one queue (prefix
/// <c>grove:&lt;Key&gt;:mq:&lt;queue&gt;:</c>): <c>s</c> the stream (entry id <c>n-1</c>, fields obj, enq) with consumer
/// group <c>g</c>, <c>seq</c> the counter behind n, <c>o</c> file id → n, <c>r</c> entry id → the secret of its
/// current claim, <c>ac</c> where the scan for timed-out claims goes on. The message's file is a row of the mount's
/// index, written and deleted by these scripts (<see cref="RedisIndexLayout.LuaFunctions"/>) with its content in the
/// mount's Redis storage, so the tree lists, stats and reads it like any file.
/// </summary>
/// <remarks>
/// Visibility time-outs use the stream's own idle timer: a claim for V ms sets the entry's idle time to T − V (T =
/// the longest visibility allowed), so <c>XAUTOCLAIM … min-idle T</c> takes it back exactly V ms later, whatever V
/// each claim asked for.
/// </remarks>
internal static class RedisQueueScripts
{
    private const string Group = """
        local function mq_group(s, reg, member)
          if redis.call('EXISTS', s) == 0 then
            redis.call('XGROUP', 'CREATE', s, 'g', '0', 'MKSTREAM')
            redis.call('SADD', reg, member)
          end
        end
        """;

    /// <summary>
    /// KEYS s seq o queues; ARGV p queue id name bk json sha len now blobKey bytes member → n; -1 when the name is
    /// taken (nothing changed), -2 when the queue directory is gone.
    /// </summary>
    public const string Push = RedisIndexLayout.LuaFunctions + "\n" + Group + "\n" + """
        local p = ARGV[1]
        if redis.call('EXISTS', p..'o:'..ARGV[2]) == 0 then return -2 end
        if not grove_insert_file(p, ARGV[3], ARGV[2], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]) then return -1 end
        redis.call('HSET', ARGV[10], 'd', ARGV[11], 't', ARGV[9])
        mq_group(KEYS[1], KEYS[4], ARGV[12])
        local n = redis.call('INCR', KEYS[2])
        redis.call('XADD', KEYS[1], n..'-1', 'obj', ARGV[3], 'enq', ARGV[9])
        redis.call('HSET', KEYS[3], ARGV[3], n)
        return n
        """;

    /// <summary>KEYS s seq o queues; ARGV obj enq member → n, or -1 when the file is queued already (a file the tree created).</summary>
    public const string Enqueue = Group + "\n" + """
        mq_group(KEYS[1], KEYS[4], ARGV[3])
        if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return -1 end
        local n = redis.call('INCR', KEYS[2])
        redis.call('XADD', KEYS[1], n..'-1', 'obj', ARGV[1], 'enq', ARGV[2])
        redis.call('HSET', KEYS[3], ARGV[1], n)
        return n
        """;

    /// <summary>KEYS queues; ARGV member: a queue known before its first message (for the stats of every queue).</summary>
    public const string Register = "redis.call('SADD', KEYS[1], ARGV[1]) return 1";

    /// <summary>KEYS s o r; ARGV obj → 1 when the entry of a file the tree deleted or moved out was removed.</summary>
    public const string Remove = """
        local n = redis.call('HGET', KEYS[2], ARGV[1])
        if not n then return 0 end
        local id = n..'-1'
        if redis.call('EXISTS', KEYS[1]) == 1 then
          redis.call('XACK', KEYS[1], 'g', id)
          redis.call('XDEL', KEYS[1], id)
        end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], id)
        return 1
        """;

    /// <summary>KEYS o s; ARGV obj → {n, enq} of the file's entry, or nil.</summary>
    public const string Entry = """
        local n = redis.call('HGET', KEYS[1], ARGV[1])
        if not n then return false end
        local e = redis.call('XRANGE', KEYS[2], n..'-1', n..'-1')
        if #e == 0 then return false end
        for i = 1, #e[1][2], 2 do
          if e[1][2][i] == 'enq' then return {n, e[1][2][i + 1]} end
        end
        return {n, '0'}
        """;

    /// <summary>
    /// KEYS s r o ac; ARGV p T V secret queue → {id, deliveries, obj, enq, name} or nil: first an entry whose claim
    /// timed out (XAUTOCLAIM, going on from where the last scan stopped), else the next new one (XREADGROUP). An entry
    /// whose file left the queue is dropped on the way.
    /// </summary>
    public const string Claim = RedisIndexLayout.LuaFunctions + "\n" + """
        local s, p = KEYS[1], ARGV[1]
        if redis.call('EXISTS', s) == 0 then return false end
        local T, V = tonumber(ARGV[2]), tonumber(ARGV[3])
        local function field(e, k)
          for i = 1, #e[2], 2 do if e[2][i] == k then return e[2][i + 1] end end
          return ''
        end
        for attempt = 1, 100 do
          local e
          local start = redis.call('GET', KEYS[4]) or '0-0'
          for i = 1, 50 do
            -- Note that COUNT 1 claims at most one entry (each claim counts as a delivery) while scanning ten.
            local got = redis.call('XAUTOCLAIM', s, 'g', 'c', T, start, 'COUNT', 1)
            if type(got[2][1]) == 'table' then e = got[2][1] end
            start = got[1]
            if e or start == '0-0' then break end
          end
          redis.call('SET', KEYS[4], start)
          if not e then
            local rd = redis.call('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 1, 'STREAMS', s, '>')
            if not rd then return false end
            e = rd[1][2][1]
          end
          local id, obj = e[1], field(e, 'obj')
          local row = grove_row(p, obj)
          if row and row[1] == ARGV[5] then
            redis.call('XCLAIM', s, 'g', 'c', 0, id, 'IDLE', T - V, 'JUSTID')
            local pend = redis.call('XPENDING', s, 'g', id, id, 1)
            redis.call('HSET', KEYS[2], id, ARGV[4])
            return {id, pend[1][4], obj, field(e, 'enq'), row[2]}
          end
          redis.call('XACK', s, 'g', id)
          redis.call('XDEL', s, id)
          redis.call('HDEL', KEYS[3], obj)
          redis.call('HDEL', KEYS[2], id)
        end
        return false
        """;

    /// <summary>
    /// KEYS s r o; ARGV p id secret T mode idle now queue → {'ok', obj}, {'gone', obj} (an ack whose file left the
    /// queue: the entry is dropped) or {'stale'}. The receipt holds while its secret is the entry's current one and the
    /// claim has not timed out. An ack deletes the file and the entry; a nack makes the entry claimable after the delay.
    /// </summary>
    public const string Settle = RedisIndexLayout.LuaFunctions + "\n" + """
        local s, p, id = KEYS[1], ARGV[1], ARGV[2]
        if redis.call('HGET', KEYS[2], id) ~= ARGV[3] then return {'stale'} end
        local pend = redis.call('XPENDING', s, 'g', id, id, 1)
        if #pend == 0 or pend[1][3] >= tonumber(ARGV[4]) then return {'stale'} end
        local e = redis.call('XRANGE', s, id, id)
        if #e == 0 then return {'stale'} end
        local obj = ''
        for i = 1, #e[1][2], 2 do
          if e[1][2][i] == 'obj' then obj = e[1][2][i + 1] end
        end
        redis.call('HDEL', KEYS[2], id)
        if ARGV[5] == 'nack' then
          redis.call('XCLAIM', s, 'g', 'c', 0, id, 'IDLE', ARGV[6], 'JUSTID')
          return {'ok', obj}
        end
        local row = grove_row(p, obj)
        local held = row and row[1] == ARGV[8]
        if held then grove_delete_file(p, obj, ARGV[7]) end
        redis.call('XACK', s, 'g', id)
        redis.call('XDEL', s, id)
        redis.call('HDEL', KEYS[3], obj)
        if held then return {'ok', obj} end
        return {'gone', obj}
        """;

    /// <summary>KEYS s; ARGV p start count queue → {id, obj, enq, name} per entry in FIFO order (name '' when its file left the queue).</summary>
    public const string List = RedisIndexLayout.LuaFunctions + "\n" + """
        local out = {}
        for _, e in ipairs(redis.call('XRANGE', KEYS[1], ARGV[2], '+', 'COUNT', tonumber(ARGV[3]))) do
          local obj, enq = '', '0'
          for i = 1, #e[2], 2 do
            if e[2][i] == 'obj' then obj = e[2][i + 1] elseif e[2][i] == 'enq' then enq = e[2][i + 1] end
          end
          local row = grove_row(ARGV[1], obj)
          out[#out + 1] = {e[1], obj, enq, (row and row[1] == ARGV[4]) and row[2] or ''}
        end
        return out
        """;
}
