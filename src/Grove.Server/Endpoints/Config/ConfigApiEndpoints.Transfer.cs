using Grove.Config;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

internal static partial class ConfigApiEndpoints
{
    private static void MapTransfer(RouteGroupBuilder config)
    {
        config.MapGet("/export", ExportAsync).WithSummary("A namespace's configs as a zip (Nacos 2's layout).");
        config.MapPost("/import", ImportAsync).WithSummary("Import a zip, all or nothing, under a conflict policy.");
    }

    private static async Task ExportAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "export configs");
        var plain = QueryArgs.Bool(ctx.Request, "plain", false);
        if (plain && !caller.IsAdmin)
        {
            throw new Grove.Identity.IdentityException(Grove.Identity.IdentityErrorCode.Forbidden, "only an admin may export secrets in plain text");
        }

        var tenant = Tenants.Normalize(ctx.Request.Query["tenant"]);
        using var zip = new MemoryStream();
        await engine.ExportAsync(zip, new ExportOptions
        {
            Tenant = tenant,
            Group = QueryArgs.String(ctx.Request, "group"),
            SecretsInPlainText = plain,
            Actor = caller,
        }, ctx.RequestAborted);
        ctx.Response.ContentType = "application/zip";
        ctx.Response.Headers.ContentDisposition = $"attachment; filename=\"grove-config-{(tenant.Length == 0 ? "public" : tenant)}.zip\"";
        ctx.Response.ContentLength = zip.Length;
        await ctx.Response.Body.WriteAsync(zip.GetBuffer().AsMemory(0, (int)zip.Length), ctx.RequestAborted);
    }

    private static async Task<IResult> ImportAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "import configs");
        var policy = ImportRules.Policy(QueryArgs.String(ctx.Request, "policy"));
        ImportRules.CheckDeclaredLength(ctx.Request);
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = ImportRules.MaxBody;
        }

        // Note that a zip is read by seeking: the body is buffered (bounded) first.
        using var zip = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(zip, ctx.RequestAborted);
        zip.Position = 0;
        var result = await engine.ImportAsync(zip, new ImportOptions
        {
            Tenant = Tenants.Normalize(ctx.Request.Query["tenant"]),
            Policy = policy,
            Actor = caller,
            ClientIp = access.ClientIp(ctx),
        }, ctx.RequestAborted);
        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            Keys(w, "created", result.Created);
            Keys(w, "updated", result.Updated);
            Keys(w, "skipped", result.Skipped);
            w.WriteEndObject();
        });
    }

    private static void Keys(System.Text.Json.Utf8JsonWriter w, string name, IReadOnlyList<ConfigKey> keys)
    {
        w.WriteStartArray(name);
        foreach (var k in keys)
        {
            w.WriteStartObject();
            ConfigJson.Key(w, k);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
