using Grove.Identity;

namespace Grove.Config.Internal.Engine;

/// <summary>Gray releases: a beta of a config served to chosen client IPs or labels, promoted or cancelled.</summary>
internal sealed class BetaReleases(EngineContext context)
{
    private readonly EngineContext _c = context;

    private const int MaxBetaTargets = 1000;

    /// <summary>
    /// Publishes a gray release: clients whose IP or label is listed get <see cref="BetaRequest.Content"/> (and its
    /// MD5, so their long polls fire); everyone else keeps the released content. Replaces an earlier beta.
    /// </summary>
    public async Task<ConfigBeta> PublishBetaAsync(BetaRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _c.Authorize(request.Actor, "publish gray releases");
        var key = request.Key;
        var utf8 = _c.Publisher.CheckContent(key, request.Content);
        var ips = Targets("IP", request.Ips);
        var labels = Targets("label", request.Labels);
        if (ips.Count == 0 && labels.Count == 0)
        {
            throw ConfigException.Invalid("a gray release needs at least one client IP or label");
        }

        _c.Validators.Check(key, request.Content);
        var applied = await _c.Queue.WriteAsync([key], ReadNeeds.All, states =>
        {
            var main = states[key].Main;
            var type = main?.Type ?? ConfigTypes.FromDataId(key.DataId);
            if (_c.Options.ValidateFormats)
            {
                ConfigFormats.Validate(type, request.Content);
            }

            var secret = Publisher.IsSecret(key, main?.Secret ?? false);
            var body = secret ? _c.Box.Seal(utf8, key) : utf8;
            var beta = new StoredBeta { Key = key, Body = body, Sealed = secret, Ips = ips, Labels = labels, SourceIp = request.ClientIp };
            return [new Change
            {
                Key = key,
                SetsBeta = true,
                Beta = beta,
                History = new HistoryRecord
                {
                    Key = key,
                    Op = ConfigOp.BetaPublish,
                    Body = body,
                    Sealed = secret,
                    Md5 = secret ? null : Md5Hex.Of(utf8),
                    Type = type,
                    Secret = secret,
                    BetaIps = ips,
                    BetaLabels = labels,
                    User = request.Actor?.User,
                    SourceIp = request.ClientIp,
                },
            }];
        }, ct);
        return _c.Served.Materialize(applied[0].Beta!);
    }

    /// <summary>Makes the beta the released content for everyone (a publish with its content) and ends the gray release.</summary>
    /// <exception cref="ConfigException"><c>not_found</c> without a beta.</exception>
    public async Task<PublishResult> PromoteBetaAsync(ConfigKey key, Principal? actor = null, string? clientIp = null, CancellationToken ct = default)
    {
        _c.Authorize(actor, "promote gray releases");
        var created = false;
        var applied = await _c.Queue.WriteAsync([key], ReadNeeds.All, states =>
        {
            var (current, beta) = (states[key].Main, states[key].Beta);
            if (beta is null)
            {
                throw ConfigException.NotFound($"{key} has no gray release");
            }

            created = current is null;
            var main = new StoredConfig
            {
                Key = key,
                Body = beta.Body,
                Sealed = beta.Sealed,
                Type = current?.Type ?? ConfigTypes.FromDataId(key.DataId),
                Description = current?.Description,
                Tags = current?.Tags ?? [],
                App = current?.App,
                Secret = current?.Secret ?? beta.Sealed,
                SourceIp = clientIp,
            };
            return [new Change
            {
                Key = key,
                SetsMain = true,
                Main = main,
                SetsBeta = true,
                History = Publisher.HistoryOf(main, ConfigOp.BetaPromote, actor, clientIp) with { BetaIps = beta.Ips, BetaLabels = beta.Labels },
            }];
        }, ct);
        return new PublishResult(_c.Served.Materialize(applied[0].Main!), created);
    }

    /// <summary>Ends the gray release; its clients get the released content again. False when there was none.</summary>
    public async Task<bool> CancelBetaAsync(ConfigKey key, Principal? actor = null, string? clientIp = null, CancellationToken ct = default)
    {
        _c.Authorize(actor, "cancel gray releases");
        var applied = await _c.Queue.WriteAsync([key], ReadNeeds.All, states =>
        {
            if (states[key].Beta is not { } beta)
            {
                return [];
            }

            return [new Change
            {
                Key = key,
                SetsBeta = true,
                History = new HistoryRecord
                {
                    Key = key,
                    Op = ConfigOp.BetaCancel,
                    Body = beta.Body,
                    Sealed = beta.Sealed,
                    Md5 = beta.Sealed ? null : Md5Hex.Of(beta.Body),
                    Type = states[key].Main?.Type ?? ConfigTypes.FromDataId(key.DataId),
                    Secret = beta.Sealed,
                    BetaIps = beta.Ips,
                    BetaLabels = beta.Labels,
                    User = actor?.User,
                    SourceIp = clientIp,
                },
            }];
        }, ct);
        return applied.Count > 0;
    }

    private static List<string> Targets(string what, IReadOnlyList<string>? values)
    {
        var list = (values ?? []).Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count > MaxBetaTargets || list.Any(v => v.Length > 256 || v.Contains(',', StringComparison.Ordinal)))
        {
            throw ConfigException.Invalid($"at most {MaxBetaTargets} gray-release {what}s, each at most 256 characters without ','");
        }

        return list;
    }
}
