using System.Globalization;
using Grove.Config;
using Grove.Identity;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Endpoints.Config;

/// <summary>
/// Nacos's export and import of configs, as its console and scripts call them: <c>GET /nacos/v1/cs/configs?export=true</c>
/// (or <c>exportV2=true</c>) answers a zip of <c>group/dataId</c> entries with a <c>.metadata.yml</c>, filtered by
/// <c>tenant</c>, <c>group</c>, <c>dataId</c>, <c>appName</c> and <c>ids</c>; <c>POST …?import=true</c> takes that zip
/// as the multipart field <c>file</c> into <c>namespace</c> under <c>policy</c> ABORT, SKIP or OVERWRITE. Unlike Nacos,
/// an import is all or nothing: ABORT with existing configs imports none of them (409 naming them).
/// </summary>
internal static partial class NacosConfigEndpoints
{
    private static bool IsExport(ConfigArgs args) => args["export"] == "true" || args["exportV2"] == "true";

    private static async Task ExportAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access, ConfigArgs args, Principal? caller)
    {
        var editor = ConfigAccess.Require(caller, "export configs");
        var tenant = Tenants.Normalize(args["tenant"]);
        var group = args.Text("group");
        var dataId = args.Text("dataId");
        using var zip = new MemoryStream();
        await engine.ExportAsync(zip, new ExportOptions
        {
            Tenant = tenant,
            Group = group,
            Keys = dataId is null ? null : [ConfigKey.Create(dataId, group ?? ConfigKey.DefaultGroup, tenant)],
            App = args.Text("appName"),
            Revisions = Ids(args.Text("ids")),
            Actor = editor,
        }, ctx.RequestAborted);
        var stamp = ctx.RequestServices.GetRequiredService<GroveServerOptions>().Time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        ctx.Response.ContentType = "application/zip";
        ctx.Response.Headers.ContentDisposition = $"attachment;filename=nacos_config_export_{stamp}.zip";
        ctx.Response.ContentLength = zip.Length;
        await ctx.Response.Body.WriteAsync(zip.GetBuffer().AsMemory(0, (int)zip.Length), ctx.RequestAborted);
    }

    private static async Task ImportAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        ImportRules.CheckDeclaredLength(ctx.Request);
        var args = await ConfigArgs.ReadAsync(ctx, ImportRules.MaxBody);
        var caller = ConfigAccess.Require(await access.CallerAsync(ctx, args), "import configs");
        var policy = ImportRules.Policy(args.Text("policy"));
        var file = args.File("file") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "the zip is required as the multipart field 'file'");
        using var zip = new MemoryStream();
        await file.CopyToAsync(zip, ctx.RequestAborted);
        zip.Position = 0;
        var result = await engine.ImportAsync(zip, new ImportOptions
        {
            Tenant = Tenants.Normalize(args["namespace"] ?? args["tenant"]),
            Policy = policy,
            Actor = caller,
            ClientIp = access.ClientIp(ctx),
        }, ctx.RequestAborted);
        await NacosJson.Result("导入成功", w =>
        {
            w.WriteStartObject();
            w.WriteNumber("succCount", result.Created.Count + result.Updated.Count);
            w.WriteNumber("skipCount", result.Skipped.Count);
            w.WriteStartArray("skipData");
            foreach (var k in result.Skipped)
            {
                w.WriteStartObject();
                w.WriteString("dataId", k.DataId);
                w.WriteString("group", k.Group);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ExecuteAsync(ctx);
    }

    /// <summary>Nacos's <c>ids</c>: the ids its listings showed, which are Grove's revisions.</summary>
    private static HashSet<long>? Ids(string? ids)
    {
        if (ids is null)
        {
            return null;
        }

        var set = new HashSet<long>();
        foreach (var part in ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            set.Add(long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? id
                : throw new ConfigException(ConfigErrorCode.InvalidArgument, $"ids are numbers separated by commas, not '{ConfigArgs.Shorten(part)}'"));
        }

        return set;
    }
}
