using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Grove.Config.Internal.Engine;

/// <summary>
/// What the engine serves, all from memory: the configs and betas by key with their revisions, the highest revision
/// applied, the held long polls and the listeners page. Changes from any source (this node's commits, other nodes'
/// feed, reconciliation, the dump at start) come in through <see cref="Apply"/>, which wakes waiters, marks the dump
/// and raises <see cref="Changed"/>.
/// </summary>
internal sealed class ServedState
{
    private readonly ConfigMap _map = new();
    private readonly WaiterHub _waiters;
    private readonly ListenerRegistry _listeners;
    private readonly SecretBox _box;
    private readonly ConfigOptions _options;
    private readonly ILogger _log;
    private readonly Action<ConfigKey> _dumpDirty;
    private readonly Func<ConfigKey, bool> _isBeingModified;
    private readonly Func<long> _purgedUpTo;
    private long _servedRev;

    public ServedState(ConfigOptions options, SecretBox box, ILogger log, Action<ConfigKey> dumpDirty, Func<ConfigKey, bool> isBeingModified, Func<long> purgedUpTo)
    {
        _options = options;
        _box = box;
        _log = log;
        _dumpDirty = dumpDirty;
        _isBeingModified = isBeingModified;
        _purgedUpTo = purgedUpTo;
        _waiters = new WaiterHub(Md5For, options.Time);
        _listeners = new ListenerRegistry(options.Time, options.ListenerTtl);
    }

    /// <summary>Raised after a change is applied to what is served.</summary>
    public event Action<ConfigChange>? Changed;

    public ConfigMap Map => _map;

    public ListenerRegistry Listeners => _listeners;

    public SecretBox Box => _box;

    /// <summary>The highest revision applied.</summary>
    public long Revision => Interlocked.Read(ref _servedRev);

    public int WaiterCount => _waiters.Count;

    /// <summary>Raises the served revision to <paramref name="rev"/> (after a reconciliation).</summary>
    public void RaiseRevision(long rev)
    {
        long seen;
        while (rev > (seen = Interlocked.Read(ref _servedRev)) && Interlocked.CompareExchange(ref _servedRev, rev, seen) != seen)
        {
        }
    }

    /// <summary>The MD5 a client sees for a key ("" when the config does not exist for it).</summary>
    public string? Md5For(ConfigKey key, ConfigClient? client) => _map.Get(key)?.For(client)?.Md5;

    public byte[] Plain(ConfigKey key, byte[] body, bool isSealed) => isSealed ? _box.Open(body, key) : body;

    public ConfigItem Materialize(StoredConfig s)
    {
        var plain = Plain(s.Key, s.Body, s.Sealed);
        return new ConfigItem
        {
            Key = s.Key,
            Utf8 = plain,
            Md5 = Md5Hex.Of(plain),
            Type = s.Type,
            Description = s.Description,
            Tags = s.Tags,
            App = s.App,
            Secret = s.Secret,
            Revision = s.Rev,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(s.Created),
            CreatedBy = s.CreatedBy,
            ModifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(s.Modified),
            ModifiedBy = s.ModifiedBy,
            ModifiedFromIp = s.SourceIp,
        };
    }

    public ConfigBeta Materialize(StoredBeta s)
    {
        var plain = Plain(s.Key, s.Body, s.Sealed);
        return new ConfigBeta
        {
            Key = s.Key,
            Utf8 = plain,
            Md5 = Md5Hex.Of(plain),
            Ips = s.Ips,
            Labels = s.Labels,
            Revision = s.Rev,
            ModifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(s.Modified),
            ModifiedBy = s.ModifiedBy,
        };
    }

    /// <summary>
    /// Applies the released part and the beta part of a key, each only when newer than what is served (a null
    /// state with a revision removes that part). Returns whether anything changed.
    /// </summary>
    public bool Apply(ConfigKey key, StoredConfig? main, long mainRev, StoredBeta? beta, long betaRev, bool dump = true, bool setsMain = true, bool setsBeta = true)
    {
        Entry? changed = null;
        if (setsMain && mainRev > 0)
        {
            changed = Guarded(key, () => _map.ApplyMain(key, main is null ? null : Materialize(main), main?.Body, mainRev)) ?? changed;
        }

        if (setsBeta && betaRev > 0)
        {
            changed = Guarded(key, () => _map.ApplyBeta(key, beta is null ? null : Materialize(beta), beta?.Body, betaRev)) ?? changed;
        }

        if (changed is null)
        {
            return false;
        }

        AfterChange(changed, dump);
        return true;
    }

    private Entry? Guarded(ConfigKey key, Func<Entry?> apply)
    {
        try
        {
            return apply();
        }
        catch (ConfigException e)
        {
            // A secret sealed under another master key: it cannot be served here, and saying so beats serving junk.
            _log.LogError(e, "cannot serve {Key}", key);
            return null;
        }
    }

    private void AfterChange(Entry e, bool dump)
    {
        var rev = e.Rev;
        RaiseRevision(rev);

        if (dump)
        {
            _dumpDirty(e.Key);
        }

        _waiters.Notify(e.Key);
        if (Changed is { } handlers)
        {
            var change = new ConfigChange(e.Key, rev, e.Main?.Md5, e.Beta?.Md5);
            foreach (var h in handlers.GetInvocationList().Cast<Action<ConfigChange>>())
            {
                try
                {
                    h(change);
                }
                catch (Exception x)
                {
                    _log.LogError(x, "a Changed handler failed for {Key}", e.Key);
                }
            }
        }
    }

    private const int MaxProbes = 10_000;

    /// <summary>The config as <paramref name="client"/> gets it (the beta when the client matches one), or null. From memory.</summary>
    public ConfigItem? Get(ConfigKey key, ConfigClient? client = null) => _map.Get(key)?.For(client);

    /// <summary>The MD5 <paramref name="client"/> would get, or null when the config does not exist. From memory.</summary>
    public string? GetMd5(ConfigKey key, ConfigClient? client = null) => Get(key, client)?.Md5;

    /// <summary>The configs of <paramref name="keys"/> that exist, in the given order (Diamond's batchQuery).</summary>
    public IReadOnlyList<ConfigItem> GetMany(IReadOnlyList<ConfigKey> keys, ConfigClient? client = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Select(k => Get(k, client)).OfType<ConfigItem>().ToList();
    }

    /// <summary>The gray release of a config, or null.</summary>
    public ConfigBeta? GetBeta(ConfigKey key) => _map.Get(key)?.Beta;

    /// <summary>
    /// True while a change of the key is being committed on this node (Diamond answers 304 then, its double check).
    /// </summary>
    public bool IsBeingModified(ConfigKey key) => _isBeingModified(key);

    /// <summary>A page of configs matching <paramref name="query"/>, in (tenant, group, dataId) order. From memory.</summary>
    public ConfigPage List(ConfigQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageNo < 1 || query.PageSize is < 1 or > 1000)
        {
            throw ConfigException.Invalid("pageNo starts at 1 and pageSize is 1 to 1000");
        }

        var dataId = Matcher.Of(query.DataId, query.Match);
        var group = Matcher.Of(query.Group, query.Match);
        var app = Matcher.Of(query.App, query.Match);
        var matches = _map.All
            .Select(e => e.Main)
            .OfType<ConfigItem>()
            .Where(c => (query.Tenant is null || c.Key.Tenant == query.Tenant)
                && dataId(c.Key.DataId) && group(c.Key.Group) && app(c.App ?? "")
                && (query.Tags is not { Count: > 0 } tags || tags.All(t => c.Tags.Contains(t, StringComparer.Ordinal)))
                && (string.IsNullOrEmpty(query.ContentContains) || (!c.Secret && ContentContains(c.Utf8.Span, query.ContentContains))))
            .OrderBy(c => c.Key.Tenant, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Group, StringComparer.Ordinal)
            .ThenBy(c => c.Key.DataId, StringComparer.Ordinal)
            .ToList();
        var page = matches.Skip((query.PageNo - 1) * query.PageSize).Take(query.PageSize).ToList();
        return new ConfigPage(page, matches.Count, query.PageNo, query.PageSize);
    }

    /// <summary>A case-insensitive search of UTF-8 content, decoded into a pooled buffer rather than a string per config.</summary>
    private static bool ContentContains(ReadOnlySpan<byte> utf8, string text)
    {
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        try
        {
            var n = Encoding.UTF8.GetChars(utf8, chars);
            return chars.AsSpan(0, n).Contains(text, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>
    /// The probed keys whose MD5 (as <paramref name="client"/> sees them) differs from the one held, at once (the
    /// seed's Probe-Modify-Request). Records the client on the listeners page.
    /// </summary>
    public IReadOnlyList<ConfigKey> FindChanged(IReadOnlyList<ConfigProbe> probes, ConfigClient? client = null)
    {
        probes = CheckProbes(probes);
        if (client?.Ip is { } ip)
        {
            _listeners.Mark(ip, probes);
        }

        return _waiters.Changed(probes, client);
    }

    /// <summary>
    /// The long poll: returns the changed keys at once if any probe's MD5 differs, else as soon as one changes, else
    /// an empty list after <paramref name="timeout"/>. Holds no thread while waiting.
    /// </summary>
    /// <exception cref="ConfigException"><c>rate_limited</c> when the client or the engine holds too many long polls.</exception>
    public async Task<IReadOnlyList<ConfigKey>> WaitForChangesAsync(IReadOnlyList<ConfigProbe> probes, TimeSpan timeout, ConfigClient? client = null, CancellationToken ct = default)
    {
        var changed = FindChanged(probes, client);
        probes = CheckProbes(probes);
        if (changed.Count > 0 || timeout <= TimeSpan.Zero)
        {
            return changed;
        }

        var ip = client?.Ip;
        if (!_waiters.TryEnter(ip, _options.MaxWaitersPerIp, _options.MaxWaiters))
        {
            throw new ConfigException(ConfigErrorCode.RateLimited, $"too many long polls held{(ip is null ? "" : $" by {ip}")}; try again later")
            {
                RetryAfter = TimeSpan.FromSeconds(1 + Random.Shared.Next(0, 10)),
            };
        }

        try
        {
            return await _waiters.WaitAsync(probes, client, timeout, ct);
        }
        finally
        {
            _waiters.Exit(ip);
        }
    }

    /// <summary>
    /// Answers every held long poll at once with "nothing changed" (a node shutting down: its clients poll again,
    /// elsewhere). Returns how many were released. Polls that arrive afterwards are held as usual.
    /// </summary>
    public int ReleaseWaiters() => _waiters.ReleaseAll();

    /// <summary>
    /// Answers every held long poll at once with "nothing changed", and from now on every new one as soon as it
    /// arrives (a node shutting down: its clients poll again, elsewhere). Unlike <see cref="ReleaseWaiters"/> this
    /// cannot miss a poll that was being registered while it ran. Returns how many were held.
    /// </summary>
    public int StopHoldingPolls() => _waiters.StopAll();

    private static IReadOnlyList<ConfigProbe> CheckProbes(IReadOnlyList<ConfigProbe> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        if (probes.Count > MaxProbes)
        {
            throw ConfigException.Invalid($"{probes.Count} configs in one probe; at most {MaxProbes}");
        }

        return probes.DistinctBy(p => p.Key).ToList();
    }

    /// <summary>The clients that recently probed or are long-polling a config, with the MD5 each held.</summary>
    public IReadOnlyList<ListenerInfo> GetListeners(ConfigKey key)
    {
        var waiting = _waiters.WaitingIps(key).ToHashSet(StringComparer.Ordinal);
        return _listeners.Of(key).Select(l => new ListenerInfo(key, l.Ip, l.Md5, l.Seen, waiting.Contains(l.Ip))).ToList();
    }

    /// <summary>The configs one client IP recently probed or is long-polling (Nacos's "listeners by IP").</summary>
    public IReadOnlyList<ListenerInfo> GetListenersByIp(string ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        return _listeners.OfIp(ip)
            .Select(l => new ListenerInfo(l.Key, ip, l.Md5, l.Seen, _waiters.WaitingIps(l.Key).Contains(ip, StringComparer.Ordinal)))
            .OrderBy(l => l.Key.ToString(), StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Keys changed after <paramref name="revision"/> (removals included while their tombstones last), for a push
    /// channel whose client reconnects. Null when the engine cannot tell (tombstones older than that were purged by a
    /// reconciliation): the client should then reload everything it holds.
    /// </summary>
    public IReadOnlyList<ConfigChange>? ChangesSince(long revision, string? tenant = null)
    {
        if (revision < _purgedUpTo())
        {
            return null;
        }

        return _map.All
            .Where(e => e.Rev > revision && (tenant is null || e.Key.Tenant == tenant))
            .OrderBy(e => e.Rev)
            .Select(e => new ConfigChange(e.Key, e.Rev, e.Main?.Md5, e.Beta?.Md5))
            .ToList();
    }
}
