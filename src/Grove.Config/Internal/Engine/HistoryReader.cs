using System.Text;
using Grove.Identity;

namespace Grove.Config.Internal.Engine;

/// <summary>History of every publish, diffs, rollback and the audit log.</summary>
internal sealed class HistoryReader(EngineContext context)
{
    private readonly EngineContext _c = context;

    private const int MaxHistoryListed = 5000;

    /// <summary>A page of a config's history (newest first, without content), from the store.</summary>
    public async Task<HistoryPage> ListHistoryAsync(ConfigKey key, int pageNo = 1, int pageSize = 100, Principal? actor = null, CancellationToken ct = default)
    {
        _c.Authorize(actor, "read history");
        if (pageNo < 1 || pageSize is < 1 or > 1000)
        {
            throw ConfigException.Invalid("pageNo starts at 1 and pageSize is 1 to 1000");
        }

        var all = await _c.Store.CallAsync(s => s.ListHistoryAsync(key, null, MaxHistoryListed, ct), ct);
        var page = all.Skip((pageNo - 1) * pageSize).Take(pageSize).Select(h => EntryOf(h)).ToList();
        return new HistoryPage(page, all.Count, pageNo, pageSize);
    }

    /// <summary>One history entry with its content (decrypted for secrets), or null.</summary>
    public async Task<HistoryEntry?> GetHistoryAsync(long id, Principal? actor = null, CancellationToken ct = default)
    {
        _c.Authorize(actor, "read history");
        var h = await _c.Store.CallAsync(s => s.GetHistoryAsync(id, ct), ct);
        return h is null ? null : EntryOf(h);
    }

    /// <summary>The entry of <paramref name="key"/> just before <paramref name="id"/> (Nacos's "previous"), with content; null when none.</summary>
    public async Task<HistoryEntry?> GetPreviousAsync(ConfigKey key, long id, Principal? actor = null, CancellationToken ct = default)
    {
        _c.Authorize(actor, "read history");
        var before = await _c.Store.CallAsync(s => s.ListHistoryAsync(key, id, 1, ct), ct);
        return before.Count == 0 ? null : await GetHistoryAsync(before[0].Id, actor, ct);
    }

    /// <summary>
    /// A unified line diff from history entry <paramref name="fromId"/> (0: empty) to <paramref name="toId"/> (null:
    /// the content served now).
    /// </summary>
    public async Task<ConfigDiff> DiffAsync(ConfigKey key, long fromId, long? toId = null, Principal? actor = null, CancellationToken ct = default)
    {
        _c.Authorize(actor, "read history");
        var from = fromId == 0 ? "" : (await VersionOfAsync(key, fromId, ct)).Content ?? "";
        string to;
        long toRev;
        if (toId is { } id)
        {
            to = (await VersionOfAsync(key, id, ct)).Content ?? "";
            toRev = id;
        }
        else
        {
            var current = _c.Served.Get(key);
            to = current?.Content ?? "";
            toRev = current?.Revision ?? 0;
        }

        var (unified, added, removed) = LineDiff.Unified(from, to, $"a/{key}@{fromId}", $"b/{key}@{toRev}");
        return new ConfigDiff(key, fromId, toRev, unified, added, removed);
    }

    /// <summary>
    /// A unified line diff from the content served now (empty when the config does not exist) to
    /// <paramref name="draft"/>: what a publish would change, shown before it is made. From memory.
    /// </summary>
    public ConfigDiff PreviewDiff(ConfigKey key, string draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var current = _c.Served.Get(key);
        var fromRev = current?.Revision ?? 0;
        var (unified, added, removed) = LineDiff.Unified(current?.Content ?? "", draft, $"a/{key}@{fromRev}", $"b/{key}@draft");
        return new ConfigDiff(key, fromRev, 0, unified, added, removed);
    }

    /// <summary>Publishes the content (and type, description, tags, app, secrecy) of an earlier version as a new revision.</summary>
    public async Task<PublishResult> RollbackAsync(ConfigKey key, long id, Principal? actor = null, string? clientIp = null, CancellationToken ct = default)
    {
        _c.Authorize(actor, "roll back configs");
        var version = await VersionOfAsync(key, id, ct);
        var request = new PublishRequest
        {
            Key = key,
            Content = version.Content ?? "",
            Type = version.Type,
            Description = version.Description,
            Tags = version.Tags,
            App = version.App,
            Secret = version.Secret,
            Actor = actor,
            ClientIp = clientIp,
        };
        return (await _c.Publisher.PublishManyAsync([request], ConfigOp.Rollback, ImportPolicy.Overwrite, ct))[0];
    }

    /// <summary>The audit log: history entries of every config (newest first, without content), filtered and paged by id.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> ListAuditAsync(AuditQuery query, Principal? actor = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        _c.Authorize(actor, "read the audit log");
        if (query.Limit is < 1 or > 1000)
        {
            throw ConfigException.Invalid("limit is 1 to 1000");
        }

        var records = await _c.Store.CallAsync(s => s.ListAuditAsync(query, ct), ct);
        return records.Select(h => EntryOf(h)).ToList();
    }

    private async Task<HistoryEntry> VersionOfAsync(ConfigKey key, long id, CancellationToken ct)
    {
        var h = await _c.Store.CallAsync(s => s.GetHistoryAsync(id, ct), ct);
        return h is not null && h.Key == key ? EntryOf(h) : throw ConfigException.NotFound($"{key} has no history entry {id}");
    }

    private HistoryEntry EntryOf(HistoryRecord h)
    {
        string? content = null;
        var md5 = h.Md5;
        if (h.Body is { } body)
        {
            var plain = _c.Served.Plain(h.Key, body, h.Sealed);
            content = Encoding.UTF8.GetString(plain);
            md5 = Md5Hex.Of(plain);
        }

        return new HistoryEntry
        {
            Id = h.Id,
            Key = h.Key,
            Op = h.Op,
            Content = content,
            Md5 = md5,
            Type = h.Type,
            Description = h.Description,
            Tags = h.Tags,
            App = h.App,
            Secret = h.Secret,
            BetaIps = h.BetaIps,
            BetaLabels = h.BetaLabels,
            User = h.User,
            ClientIp = h.SourceIp,
            At = DateTimeOffset.FromUnixTimeMilliseconds(h.At),
        };
    }
}
