using Grove.Tree.Redis;

namespace Grove.Queues.Internal;

/// <summary>
/// The server-side scripts of a queue on Redis Streams: each message operation is one script, run atomically, so two
/// consumers on two nodes never claim the same entry and a stale receipt never acks. Keys of one queue (prefix
/// <c>grove:&lt;Key&gt;:mq:&lt;queue&gt;:</c>): <c>s</c> the stream (entry id <c>n-1</c>, fields obj, enq) with consumer
/// group <c>g</c> read with NOACK (the group is the read cursor; what a claim holds is kept in <c>r</c> and <c>dl</c>,
/// not in a pending list), <c>seq</c> the counter behind n, <c>o</c> file id → n for files queued through the tree (a
/// message pushed by script holds n in its row's field <c>mq</c>), <c>r</c> entry id → <c>secret|due|deliveries|enq|file
/// id</c> of an entry delivered at least once (the secret empty once a nack gave it back), <c>dl</c> the entries held or
/// delayed, scored by when they are due again. The message's file is a row of the
/// mount's index, written and deleted by these scripts (<see cref="RedisIndexLayout.LuaFunctions"/>) with its content
/// inline in the row, so the tree lists, stats and reads it like any file.
/// </summary>
/// <remarks>
/// Time-outs run on the Redis server's clock (TIME), the same for every node. Timed-out claims are found in
/// <c>dl</c> by score, not by XAUTOCLAIM: XAUTOCLAIM scans the pending list from a cursor (about 20 µs per ten entries
/// here), so with thousands of messages in flight every claim paid for a scan and entries past the scan's reach were
/// not taken back.
/// </remarks>
internal static class RedisQueueScripts
{
    // Note that a queue's counter and stream are created and deleted together: the first number is the first entry,
    // so the group is made then, not checked on every push (a group that exists already is left as it is).
    private const string Group = """
        local function mq_next(s, seq, reg, member)
          local n = redis.call('INCR', seq)
          if n == 1 then
            redis.pcall('XGROUP', 'CREATE', s, 'g', '0', 'MKSTREAM')
            redis.call('SADD', reg, member)
          end
          return n
        end
        """;

    // Note that r's value is "secret|due|deliveries|enq|file id": what a claim of the entry again or a listing needs, so
    // neither reads the stream entry nor a pending list.
    private const string Held = """
        local function mq_held(v)
          return string.match(v, '^([^|]*)|(%d+)|(%d+)|(%d+)|(.*)$')
        end
        local function mq_fields(e)
          local obj, enq = '', '0'
          for i = 1, #e[2], 2 do
            if e[2][i] == 'obj' then obj = e[2][i + 1] elseif e[2][i] == 'enq' then enq = e[2][i + 1] end
          end
          return obj, enq
        end
        """;

    /// <summary>
    /// KEYS s seq queues; ARGV p queue id name json len bytes now member → n; -1 when the name is taken (nothing
    /// changed but the counter), -2 when the queue directory is gone. The message is one row hash with its content
    /// inline and its number in field <c>mq</c> (no blob, reference count, content listing or file → n entry).
    /// </summary>
    public const string Push = RedisIndexLayout.LuaInsertInline + "\n" + Group + "\n" + """
        local p = ARGV[1]
        if redis.call('EXISTS', p..'o:'..ARGV[2]) == 0 then return -2 end
        local n = mq_next(KEYS[1], KEYS[2], KEYS[3], ARGV[9])
        if not grove_insert_inline(p, ARGV[3], ARGV[2], ARGV[4], ARGV[5], ARGV[6], ARGV[7], 'mq', n) then return -1 end
        redis.call('XADD', KEYS[1], n..'-1', 'obj', ARGV[3], 'enq', ARGV[8])
        return n
        """;

    /// <summary>
    /// KEYS s seq o queues row; ARGV obj enq member → n, or -1 when the file is queued already (a file the tree created
    /// or moved in: its number goes to <c>o</c>, and a number its row kept from an earlier push is dropped).
    /// </summary>
    public const string Enqueue = Group + "\n" + """
        if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return -1 end
        redis.call('HDEL', KEYS[5], 'mq')
        local n = mq_next(KEYS[1], KEYS[2], KEYS[4], ARGV[3])
        redis.call('XADD', KEYS[1], n..'-1', 'obj', ARGV[1], 'enq', ARGV[2])
        redis.call('HSET', KEYS[3], ARGV[1], n)
        return n
        """;

    /// <summary>KEYS queues; ARGV member: a queue known before its first message (for the stats of every queue).</summary>
    public const string Register = "redis.call('SADD', KEYS[1], ARGV[1]) return 1";

    /// <summary>
    /// KEYS s o r dl; ARGV obj n → 1 when the entry of a file the tree deleted or moved out was removed; n is the
    /// number its row held (read before the commit), or '' for a file queued through the tree (found in <c>o</c>).
    /// </summary>
    public const string Remove = """
        local n = ARGV[2]
        if n == '' then n = redis.call('HGET', KEYS[2], ARGV[1]) end
        if not n then return 0 end
        local id = n..'-1'
        if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('XDEL', KEYS[1], id) end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], id)
        redis.call('ZREM', KEYS[4], id)
        return 1
        """;

    /// <summary>KEYS o s row; ARGV obj → {n, enq} of the file's entry, or nil.</summary>
    public const string Entry = """
        local n = redis.call('HGET', KEYS[3], 'mq') or redis.call('HGET', KEYS[1], ARGV[1])
        if not n then return false end
        local e = redis.call('XRANGE', KEYS[2], n..'-1', n..'-1')
        if #e == 0 then return false end
        for i = 1, #e[1][2], 2 do
          if e[1][2][i] == 'enq' then return {n, e[1][2][i + 1]} end
        end
        return {n, '0'}
        """;

    /// <summary>
    /// KEYS s r o dl; ARGV p V secret queue → {n, deliveries, obj, enq, name} or nil: first an entry whose claim timed
    /// out or that a nack gave back (the earliest in <c>dl</c> that is due; what it needs is in <c>r</c>), else the next
    /// new one (XREADGROUP with NOACK). An entry whose file left the queue is dropped on the way.
    /// </summary>
    public const string Claim = RedisIndexLayout.LuaRow + "\n" + Held + "\n" + """
        local s, p = KEYS[1], ARGV[1]
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        for attempt = 1, 100 do
          local id, obj, enq, deliveries
          local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 1)
          if #due > 0 then
            id = due[1]
            local held = {mq_held(redis.call('HGET', KEYS[2], id) or '')}
            if held[3] then
              deliveries, enq, obj = tonumber(held[3]) + 1, held[4], held[5]
            else
              -- Note that every entry in dl has its line in r; one that has not is read from the stream, if it is there.
              local e = redis.call('XRANGE', s, id, id)
              obj, enq, deliveries = '', '0', 1
              if #e > 0 then obj, enq = mq_fields(e[1]) end
            end
          else
            -- Note that a queue never pushed to has no stream nor group: XREADGROUP's error then means empty.
            local rd = redis.pcall('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 1, 'NOACK', 'STREAMS', s, '>')
            if not rd or rd.err then return false end
            id, deliveries = rd[1][2][1][1], 1
            obj, enq = mq_fields(rd[1][2][1])
          end
          local row = obj ~= '' and grove_row(p, obj)
          if row and row[1] == ARGV[4] then
            local hold = now + tonumber(ARGV[2])
            redis.call('HSET', KEYS[2], id, ARGV[3]..'|'..hold..'|'..deliveries..'|'..enq..'|'..obj)
            redis.call('ZADD', KEYS[4], hold, id)
            return {tonumber(string.match(id, '^%d+')), deliveries, obj, enq, row[2]}
          end
          redis.call('XDEL', s, id)
          if obj ~= '' then redis.call('HDEL', KEYS[3], obj) end
          redis.call('HDEL', KEYS[2], id)
          redis.call('ZREM', KEYS[4], id)
        end
        return false
        """;

    /// <summary>
    /// KEYS s r o dl; ARGV p n secret mode delay queue → 1 (done), 0 (an ack whose file left the queue: the entry is
    /// dropped) or -1 (stale). The receipt holds while its secret is the entry's current one and its claim has not
    /// timed out. An ack deletes the file and the entry; a nack makes the entry due again after the delay.
    /// </summary>
    public const string Settle = RedisIndexLayout.LuaDeleteFile + "\n" + Held + "\n" + """
        local s, p, id = KEYS[1], ARGV[1], ARGV[2]..'-1'
        local held = redis.call('HGET', KEYS[2], id)
        if not held then return -1 end
        local secret, due, d, enq, obj = mq_held(held)
        if secret ~= ARGV[3] then return -1 end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        if tonumber(due) <= now then return -1 end
        if ARGV[4] == 'nack' then
          local at = now + tonumber(ARGV[5])
          redis.call('HSET', KEYS[2], id, '|'..at..'|'..d..'|'..enq..'|'..obj)
          redis.call('ZADD', KEYS[4], at, id)
          return 1
        end
        redis.call('HDEL', KEYS[2], id)
        local mine = grove_delete_file(p, obj, ARGV[6], now, 'mq')
        redis.call('XDEL', s, id)
        -- Note that a message pushed by script holds its number in its row: only other files have an entry in o.
        if not (mine and mine[6]) then redis.call('HDEL', KEYS[3], obj) end
        redis.call('ZREM', KEYS[4], id)
        if mine then return 1 end
        return 0
        """;

    /// <summary>
    /// KEYS s dl r; ARGV p start count queue → {id, obj, enq, name, due, deliveries} per entry in FIFO order (name ''
    /// when its file left the queue; due the time it is claimable again, or '' when never claimed).
    /// </summary>
    public const string List = RedisIndexLayout.LuaRow + "\n" + Held + "\n" + """
        local out = {}
        for _, e in ipairs(redis.call('XRANGE', KEYS[1], ARGV[2], '+', 'COUNT', tonumber(ARGV[3]))) do
          local obj, enq = mq_fields(e)
          local row = grove_row(ARGV[1], obj)
          local v = redis.call('HGET', KEYS[3], e[1])
          local deliveries = v and select(3, mq_held(v)) or '0'
          out[#out + 1] = {e[1], obj, enq, (row and row[1] == ARGV[4]) and row[2] or '', redis.call('ZSCORE', KEYS[2], e[1]) or '', deliveries}
        end
        return out
        """;

    /// <summary>KEYS s r → {depth, in flight (held by a claim that has not timed out), oldest enqueue time or ''}.</summary>
    public const string Stats = Held + "\n" + """
        local depth = redis.call('XLEN', KEYS[1])
        if depth == 0 then return {0, 0, ''} end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local held = 0
        local claims = redis.call('HGETALL', KEYS[2])
        for i = 2, #claims, 2 do
          local secret, due = mq_held(claims[i])
          if secret and secret ~= '' and tonumber(due) > now then held = held + 1 end
        end
        local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
        local oldest = ''
        if #first > 0 then
          for i = 1, #first[1][2], 2 do if first[1][2][i] == 'enq' then oldest = first[1][2][i + 1] end end
        end
        return {depth, held, oldest}
        """;
}
