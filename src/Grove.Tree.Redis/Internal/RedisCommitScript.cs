namespace Grove.Tree.Redis.Internal;

/// <summary>
/// The server-side script that applies a change set atomically in one round trip: it checks every expected version
/// and every name slot first (returning <c>conflict</c> or <c>exists</c> having changed nothing), then writes rows,
/// names, expiries and reference counts. Each row's JSON travels as an argument of its own (the change set names it by
/// position), so it is neither escaped into the change set nor decoded by the script. The change feed's entry of the
/// set (<c>ARGV[5]</c>, for the store's log <c>ARGV[4]</c>, or empty) goes into the log's pending stream in the same
/// script (<see cref="RedisKeys.FeedEntries"/>), which drops the entries the feed took (ids below <c>ARGV[6]</c>) and
/// answers the entry's number.
/// </summary>
internal static class RedisCommitScript
{
    public const string Text = """
        local p = ARGV[1]
        local c = cjson.decode(ARGV[2])
        local now = ARGV[3]
        local gone, old, taken = {}, {}, {}
        for _, d in ipairs(c.d) do
          local f = redis.call('HMGET', p..'o:'..d.id, 'v', 'pid', 'nm')
          if (not f[1]) or f[1] ~= d.e then return {'conflict', d.id} end
          old[d.id] = {f[2], f[3]}
          gone[d.id] = true
        end
        for _, u in ipairs(c.u) do
          local f = redis.call('HMGET', p..'o:'..u.id, 'v', 'pid', 'nm', 'il')
          if (not f[1]) or f[1] ~= u.e then return {'conflict', u.id} end
          old[u.id] = {f[2], f[3], f[4]}
        end
        local function claim(r)
          local slot = r.pid..'\n'..r.nm
          if taken[slot] then return false end
          taken[slot] = true
          local holder = redis.call('HGET', p..'n:'..r.pid, r.nm)
          if holder and holder ~= r.id and (not gone[holder]) and redis.call('EXISTS', p..'o:'..holder) == 1 then return false end
          return true
        end
        for _, u in ipairs(c.u) do
          local o = old[u.id]
          if o[1] ~= u.pid or o[2] ~= u.nm then
            if not claim(u) then return {'exists', u.nm} end
          else
            taken[u.pid..'\n'..u.nm] = true
          end
        end
        for _, r in ipairs(c.i) do
          if redis.call('EXISTS', p..'o:'..r.id) == 1 or not claim(r) then return {'exists', r.nm} end
        end
        local function unlink(id, pid, nm)
          if redis.call('HGET', p..'n:'..pid, nm) == id then
            redis.call('HDEL', p..'n:'..pid, nm)
            redis.call('ZREM', p..'c:'..pid, nm)
          end
        end
        for _, d in ipairs(c.d) do
          local o = old[d.id]
          redis.call('DEL', p..'o:'..d.id)
          unlink(d.id, o[1], o[2])
          redis.call('ZREM', p..'x', d.id)
          redis.call('ZREM', p..'f', d.id)
        end
        local function write(r)
          local k = p..'o:'..r.id
          redis.call('HSET', k, 'id', r.id, 'pid', r.pid, 'nm', r.nm, 'v', r.v, 'bk', r.bk, 'j', ARGV[r.j])
          if r.b then
            redis.call('HSET', k, 'il', r.il, 'inl', ARGV[r.b])
          elseif r.il == '' and old[r.id] and old[r.id][3] then
            redis.call('HDEL', k, 'il', 'inl')
          end
          redis.call('HSET', p..'n:'..r.pid, r.nm, r.id)
          redis.call('ZADD', p..'c:'..r.pid, 0, r.nm)
          if r.x ~= '' then
            redis.call('PEXPIREAT', k, r.x)
            redis.call('ZADD', p..'x', r.x, r.id)
          else
            redis.call('PERSIST', k)
            redis.call('ZREM', p..'x', r.id)
          end
          if r.f then redis.call('ZADD', p..'f', 0, r.id) else redis.call('ZREM', p..'f', r.id) end
        end
        for _, u in ipairs(c.u) do
          local o = old[u.id]
          if o[1] ~= u.pid or o[2] ~= u.nm then unlink(u.id, o[1], o[2]) end
          write(u)
        end
        for _, r in ipairs(c.i) do write(r) end
        for _, b in ipairs(c.r) do
          local key = p..'b:'..b.b
          local cur = redis.call('HGET', key, b.s)
          local refs, zero = 0, ''
          if cur then
            local _, r2, z = string.match(cur, '^(%d+)|(%-?%d+)|(%d*)$')
            refs = tonumber(r2)
            zero = z
          end
          refs = refs + tonumber(b.d)
          local member = b.b..'\n'..b.s
          if refs <= 0 then
            if zero == '' then zero = now end
            redis.call('HSET', key, b.s, b.l..'|'..refs..'|'..zero)
            redis.call('ZADD', p..'z', zero, member)
          else
            redis.call('HSET', key, b.s, b.l..'|'..refs..'|')
            redis.call('ZREM', p..'z', member)
          end
        end
        if ARGV[4] ~= '' then
          local fq = p..'fq:'..ARGV[4]
          local n = redis.call('INCR', fq..':n')
          redis.call('XADD', fq, n..'-1', 'e', ARGV[5])
          if ARGV[6] ~= '' then redis.call('XTRIM', fq, 'MINID', ARGV[6]) end
          return {'ok', n}
        end
        return {'ok', ''}
        """;
}
