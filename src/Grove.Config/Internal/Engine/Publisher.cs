using System.Text;
using Grove.Identity;

namespace Grove.Config.Internal.Engine;

/// <summary>Publishing and removing configs: validation, the change each write commits, and its history entry.</summary>
internal sealed class Publisher(EngineContext context)
{
    private readonly EngineContext _c = context;

    private const string CipherPrefix = "cipher-";
    private const int MaxTags = 32;
    private const int MaxTagLength = 128;
    private const int MaxTextField = 2048;

    /// <summary>
    /// Publishes one config: validates it (key, size, format), commits it with its history entry and a new revision
    /// in one transaction, then serves, dumps and announces it.
    /// </summary>
    /// <exception cref="ConfigException">
    /// <c>invalid_argument</c>, <c>too_large</c>, <c>invalid_format</c>, <c>conflict</c> (exists under create-only, or
    /// MD5 mismatch), <c>not_found</c> (update-only), <c>forbidden</c>, <c>unavailable</c>.
    /// </exception>
    public async Task<PublishResult> PublishAsync(PublishRequest request, CancellationToken ct = default) =>
        (await PublishManyAsync([request], ConfigOp.Publish, ImportPolicy.Overwrite, ct))[0];

    /// <summary>
    /// Publishes several configs in one transaction (Diamond's batchAddOrUpdate): every request is validated first,
    /// and one bad request applies none of them.
    /// </summary>
    public Task<IReadOnlyList<PublishResult>> PublishBatchAsync(IReadOnlyList<PublishRequest> requests, CancellationToken ct = default) =>
        PublishManyAsync(requests, ConfigOp.Publish, ImportPolicy.Overwrite, ct);

    /// <summary>Removes a config (and its beta); the history keeps its last content. False when it did not exist.</summary>
    public async Task<bool> RemoveAsync(ConfigKey key, Principal? actor = null, string? clientIp = null, CancellationToken ct = default)
    {
        _c.Authorize(actor, "remove configs");
        var applied = await _c.Queue.WriteAsync([key], ReadNeeds.All, states =>
        {
            var state = states[key];
            if (state.Main is not { } current)
            {
                return [];
            }

            return [new Change
            {
                Key = key,
                SetsMain = true,
                SetsBeta = state.Beta is not null,
                History = HistoryOf(current, ConfigOp.Delete, actor, clientIp),
            }];
        }, ct);
        return applied.Count > 0;
    }

    /// <summary>The publish of several requests in one transaction; <paramref name="existing"/> says what happens to configs that exist.</summary>
    public async Task<IReadOnlyList<PublishResult>> PublishManyAsync(IReadOnlyList<PublishRequest> requests, ConfigOp op, ImportPolicy existing, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return [];
        }

        var encoded = new Dictionary<ConfigKey, byte[]>();
        foreach (var r in requests)
        {
            ArgumentNullException.ThrowIfNull(r);
            _c.Authorize(r.Actor, "publish configs");
            if (encoded.ContainsKey(r.Key))
            {
                throw ConfigException.Invalid($"{r.Key} appears twice in one batch");
            }

            encoded[r.Key] = CheckContent(r.Key, r.Content);
            CheckMetadata(r.Description, r.Tags, r.App);
            if (r.Type is { } t && _c.Options.ValidateFormats)
            {
                ConfigFormats.Validate(t, r.Content);
            }

            _c.Validators.Check(r.Key, r.Content);
        }

        var created = new HashSet<ConfigKey>();
        var skipped = new HashSet<ConfigKey>();
        var needs = requests.Any(r => r.IfMd5 is not null) ? ReadNeeds.MainBody : ReadNeeds.None;
        var applied = await _c.Queue.WriteAsync(encoded.Keys.ToList(), needs, states =>
        {
            created.Clear();
            skipped.Clear();
            var changes = new List<Change>(requests.Count);
            var found = requests.Where(r => states[r.Key].Main is not null).Select(r => r.Key.ToString()).ToList();
            if (existing == ImportPolicy.Abort && found.Count > 0)
            {
                throw ConfigException.Conflict($"{found.Count} of the configs exist already ({string.Join(", ", found.Take(20))}{(found.Count > 20 ? ", …" : "")}); nothing was imported");
            }

            foreach (var r in requests)
            {
                var current = states[r.Key].Main;
                if (current is not null && existing == ImportPolicy.Skip)
                {
                    skipped.Add(r.Key);
                    continue;
                }

                if (current is null)
                {
                    created.Add(r.Key);
                }

                changes.Add(PublishChange(r, current, encoded[r.Key], op));
            }

            return changes;
        }, ct);

        var written = applied.Where(a => a.Main is not null).ToDictionary(a => a.Change.Key, a => a.Main!);
        var results = new List<PublishResult>(requests.Count);
        foreach (var r in requests)
        {
            var item = written.TryGetValue(r.Key, out var main) ? _c.Served.Materialize(main) : _c.Served.Get(r.Key);
            results.Add(new PublishResult(item!, created.Contains(r.Key), !skipped.Contains(r.Key)));
        }

        return results;
    }

    private Change PublishChange(PublishRequest r, StoredConfig? current, byte[] utf8, ConfigOp op)
    {
        switch (r.Mode)
        {
            case PublishMode.CreateOnly when current is not null:
                throw ConfigException.Conflict($"{r.Key} already exists");
            case PublishMode.UpdateOnly when current is null:
                throw ConfigException.NotFound($"{r.Key} does not exist");
            default:
                break;
        }

        if (r.IfMd5 is { } expected)
        {
            var held = current is null ? "" : Md5Hex.Of(_c.Served.Plain(current.Key, current.Body, current.Sealed));
            if (!string.Equals(held, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw ConfigException.Conflict($"{r.Key} has MD5 '{held}', not '{expected}': it changed meanwhile");
            }
        }

        var type = r.Type ?? current?.Type ?? ConfigTypes.FromDataId(r.Key.DataId);
        if (r.Type is null && _c.Options.ValidateFormats)
        {
            ConfigFormats.Validate(type, r.Content);
        }

        var secret = IsSecret(r.Key, r.Secret ?? current?.Secret ?? false);
        var main = new StoredConfig
        {
            Key = r.Key,
            Body = secret ? _c.Box.Seal(utf8, r.Key) : utf8,
            Sealed = secret,
            Type = type,
            Description = r.Description ?? current?.Description,
            Tags = r.Tags?.Distinct(StringComparer.Ordinal).ToList() ?? current?.Tags ?? [],
            App = r.App ?? current?.App,
            Secret = secret,
            SourceIp = r.ClientIp,
        };
        return new Change { Key = r.Key, SetsMain = true, Main = main, History = HistoryOf(main, op, r.Actor, r.ClientIp) };
    }

    public static bool IsSecret(ConfigKey key, bool marked) => marked || key.DataId.StartsWith(CipherPrefix, StringComparison.Ordinal);

    public static HistoryRecord HistoryOf(StoredConfig s, ConfigOp op, Principal? actor, string? clientIp) => new()
    {
        Key = s.Key,
        Op = op,
        Body = s.Body,
        Sealed = s.Sealed,
        Md5 = s.Sealed ? null : Md5Hex.Of(s.Body),
        Type = s.Type,
        Description = s.Description,
        Tags = s.Tags,
        App = s.App,
        Secret = s.Secret,
        User = actor?.User,
        SourceIp = clientIp,
    };

    /// <summary>The content as UTF-8, or <c>too_large</c> naming the limit.</summary>
    public byte[] CheckContent(ConfigKey key, string? content)
    {
        if (content is null)
        {
            throw ConfigException.Invalid($"content of {key} is required");
        }

        var max = _c.Options.MaxContentBytes;
        if (content.Length > max || Encoding.UTF8.GetByteCount(content) > max)
        {
            throw new ConfigException(ConfigErrorCode.TooLarge, $"content of {key} is {Encoding.UTF8.GetByteCount(content)} bytes; the limit is {max} bytes ({max / 1024.0:0.#} KiB)") { Limit = max };
        }

        return Encoding.UTF8.GetBytes(content);
    }

    public static void CheckMetadata(string? description, IReadOnlyList<string>? tags, string? app)
    {
        if (description?.Length > MaxTextField || app?.Length > MaxTextField)
        {
            throw ConfigException.Invalid($"description and app are at most {MaxTextField} characters");
        }

        if (tags is not null && (tags.Count > MaxTags || tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > MaxTagLength || t.Contains(',', StringComparison.Ordinal))))
        {
            throw ConfigException.Invalid($"at most {MaxTags} tags, each 1 to {MaxTagLength} characters without ','");
        }
    }
}
