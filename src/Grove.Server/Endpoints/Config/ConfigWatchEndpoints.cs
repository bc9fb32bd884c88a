using System.Globalization;
using System.Text;
using System.Text.Json;
using Grove.Config;
using Grove.Identity;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Grove.Server.Endpoints.Config;

/// <summary>
/// Grove's push channel: <c>/api/v1/config/watch</c> streams server-sent events (<c>change</c> with the key, its MD5 as
/// the client sees it and the store revision as the event id; <c>reset</c> when the server cannot tell what changed
/// since a client's <c>Last-Event-ID</c>; a keep-alive comment every <see cref="ConfigServerOptions.HeartbeatInterval"/>).
/// GET takes <c>keys=group/dataId,…</c> (and optionally <c>md5s=…</c> in the same order), POST a JSON list with MD5s.
/// <c>/api/v1/config/listen</c> is the long-poll fallback (and with <c>timeoutMs: 0</c> the MD5 reconciliation).
/// </summary>
internal static partial class ConfigWatchEndpoints
{
    private const int MaxKeys = 10_000;

    public static void Map(RouteGroupBuilder api)
    {
        var config = api.MapGroup("/config").WithTags("config");
        config.MapGet("/watch", WatchGetAsync).WithSummary("Server-sent events of changes of the listed configs.");
        config.MapPost("/watch", WatchPostAsync).WithSummary("Server-sent events of changes of the posted configs (with the MD5s held).");
        config.MapPost("/listen", ListenAsync).WithSummary("Long poll: the configs whose MD5 differs from the one posted, at once or when one changes.");
    }

    private sealed record Watched(ConfigKey Key, string? Md5);

    private static Task WatchGetAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access, ConfigWatchHub hub, IHostApplicationLifetime life) => Guarded.RunAsync(ctx, async () =>
    {
        var tenant = Tenants.Normalize(ctx.Request.Query["tenant"]);
        var keys = QueryArgs.String(ctx.Request, "keys")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "'keys' is required: group/dataId,…");
        var md5s = QueryArgs.String(ctx.Request, "md5s")?.Split(',');
        if (md5s is not null && md5s.Length != keys.Length)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"'md5s' has {md5s.Length} entries for {keys.Length} keys; give one per key (empty for none)");
        }

        var watched = new List<Watched>();
        for (var i = 0; i < keys.Length; i++)
        {
            var slash = keys[i].IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0)
            {
                throw new ConfigException(ConfigErrorCode.InvalidArgument, $"key '{ConfigArgs.Shorten(keys[i])}' is not group/dataId");
            }

            watched.Add(new Watched(ConfigKey.Create(keys[i][(slash + 1)..], keys[i][..slash], tenant), Md5Of(md5s?[i])));
        }

        await StreamAsync(ctx, engine, access, hub, life, watched);
    }, e => e.WriteProblemAsync(ctx));

    private static Task WatchPostAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access, ConfigWatchHub hub, IHostApplicationLifetime life) => Guarded.RunAsync(ctx, async () =>
    {
        var (watched, _, _) = await ReadListAsync(ctx);
        await StreamAsync(ctx, engine, access, hub, life, watched);
    }, e => e.WriteProblemAsync(ctx));

    private static Task ListenAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var (watched, timeout, _) = await ReadListAsync(ctx);
        var client = access.Client(ctx);
        CheckSecrets(ctx, engine, access, watched);
        var probes = watched.Select(w => new ConfigProbe(w.Key, w.Md5 ?? "")).ToList();
        var hold = TimeSpan.FromMilliseconds(Math.Clamp(timeout ?? 30_000, 0, access.Options.MaxLongPoll.TotalMilliseconds));
        var revision = engine.Revision;
        var changed = hold == TimeSpan.Zero ? engine.FindChanged(probes, client) : await ListenSupport.WaitAsync(ctx, engine, probes, hold, client);
        await JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("revision", Math.Max(revision, engine.Revision));
            w.WriteStartArray("changed");
            foreach (var key in changed)
            {
                w.WriteStartObject();
                ConfigJson.Key(w, key);
                WriteMd5(w, engine.GetMd5(key, client));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ExecuteAsync(ctx);
    }, e => e.WriteProblemAsync(ctx));

    /// <summary>Reads <c>{"tenant","configs":[{"group","dataId","md5"}],"timeoutMs"}</c>.</summary>
    private static async Task<(List<Watched> Watched, long? TimeoutMs, string Tenant)> ReadListAsync(HttpContext ctx)
    {
        using var body = await JsonBody.ReadAsync(ctx, 4 << 20);
        var e = body.RootElement;
        var tenant = Tenants.Normalize(JsonBody.String(e, "tenant"));
        if (!e.TryGetProperty("configs", out var configs) || configs.ValueKind != JsonValueKind.Array)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, "'configs' is required: [{\"group\",\"dataId\",\"md5\"}]");
        }

        var watched = new List<Watched>();
        foreach (var c in configs.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigException(ConfigErrorCode.InvalidArgument, "each of 'configs' is an object {\"group\",\"dataId\",\"md5\"}");
            }

            var key = ConfigKey.Create(JsonBody.String(c, "dataId"), JsonBody.String(c, "group") ?? ConfigKey.DefaultGroup, JsonBody.String(c, "tenant") is { } t ? Tenants.Normalize(t) : tenant);
            watched.Add(new Watched(key, Md5Of(JsonBody.String(c, "md5"))));
        }

        return (watched, JsonBody.Long(e, "timeoutMs"), tenant);
    }

    private static long? LastEventId(HttpContext ctx)
    {
        var text = ctx.Request.Headers["Last-Event-ID"].ToString();
        if (text.Length == 0)
        {
            text = ctx.Request.Query["lastEventId"].ToString();
        }

        if (text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rev)
            ? rev
            : throw new ConfigException(ConfigErrorCode.InvalidArgument,
                $"Last-Event-ID must be a revision (an integer, 0 or more, up to {long.MaxValue}), not '{(text.Length > 40 ? text[..40] + "..." : text)}'");
    }

    private static void CheckSecrets(HttpContext ctx, ConfigEngine engine, ConfigAccess access, List<Watched> watched)
    {
        var caller = ctx.Features.Get<Principal>();
        foreach (var w in watched)
        {
            if (engine.Get(w.Key) is { Secret: true } item)
            {
                access.DemandSecretRead(caller, item);
            }
        }
    }

    private static string? Md5Of(string? text)
    {
        if (text is null)
        {
            return null;
        }

        text = text.Trim();
        return text.Length == 0 || (text.Length == 32 && text.All(char.IsAsciiHexDigit))
            ? text.ToLowerInvariant()
            : throw new ConfigException(ConfigErrorCode.InvalidArgument, $"'{ConfigArgs.Shorten(text)}' is not an MD5 (32 hex digits, or empty for a config the client does not have)");
    }

    private static void WriteMd5(Utf8JsonWriter w, string? md5)
    {
        if (md5 is null)
        {
            w.WriteNull("md5");
        }
        else
        {
            w.WriteString("md5", md5);
        }
    }
}
