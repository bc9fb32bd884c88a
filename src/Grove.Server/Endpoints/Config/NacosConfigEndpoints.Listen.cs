using Grove.Config;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Endpoints.Config;

internal static partial class NacosConfigEndpoints
{
    private static Task ListenAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var args = await ConfigArgs.ReadAsync(ctx, 4L << 20);
        var client = access.Client(ctx);
        var caller = await access.CallerAsync(ctx, args);
        access.DemandRead(caller);
        DiamondConfigEndpoints.Admit(engine, client.Ip);
        var entries = ProbeText.Parse(args["Listening-Configs"], "Listening-Configs");
        var tenants = ProbeText.TenantsOf(entries);
        var probes = ListenSupport.Probes(entries, engine, access, caller);
        var headers = ctx.Request.Headers;
        var hold = ListenSupport.HoldFor(headers["Long-Pulling-Timeout"].ToString(), access.Options);
        var changed = hold is { } h && !string.Equals(headers["Long-Pulling-Timeout-No-Hangup"].ToString(), "true", StringComparison.OrdinalIgnoreCase)
            ? await ListenSupport.WaitAsync(ctx, engine, probes, h, client)
            : engine.FindChanged(probes, client);

        Guarded.NoCache(ctx.Response);
        ctx.Response.ContentType = "text/html;charset=UTF-8";
        if (changed.Count > 0)
        {
            // Note that Nacos writes the answer with println: a trailing newline its clients skip.
            await ctx.Response.WriteAsync(ProbeText.Encode(changed, tenants) + "\n", ctx.RequestAborted);
        }
    }, e => NacosJson.WriteErrorAsync(ctx, e));

    private static Task ListenersAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var args = ConfigArgs.Query(ctx);
        ConfigAccess.Require(await access.CallerAsync(ctx, args), "list listeners");
        var key = KeyOf(args);
        var listeners = engine.GetListeners(key);
        await JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("collectStatus", 200);
            w.WriteStartObject("lisentersGroupkeyStatus");
            foreach (var l in listeners)
            {
                w.WriteString(l.Ip, l.Md5);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }).ExecuteAsync(ctx);
    }, e => NacosJson.WriteErrorAsync(ctx, e));
}
