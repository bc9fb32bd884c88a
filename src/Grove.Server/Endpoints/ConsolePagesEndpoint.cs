using System.Text;
using System.Text.Encodings.Web;
using Grove.Server.Internal;
using Grove.Server.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints;

/// <summary>
/// The console's <c>js/pages.js</c>, written from the modules: one <c>registerPage</c> line per page a module brings,
/// so a module's page needs its folder under <c>wwwroot/js/</c> and nothing else.
/// </summary>
internal static class ConsolePagesEndpoint
{
    public static void Map(IEndpointRouteBuilder app, IReadOnlyList<IGroveModule> modules)
    {
        var script = Script(modules);
        app.MapGet("/js/pages.js", (HttpContext ctx) =>
        {
            var headers = ctx.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.ContentSecurityPolicy = ConsoleFiles.Policy;
            headers.XContentTypeOptions = "nosniff";
            return Results.Text(script, "text/javascript", Encoding.UTF8);
        }).ExcludeFromDescription();
    }

    /// <summary>The module of page registrations, in module order.</summary>
    public static string Script(IReadOnlyList<IGroveModule> modules)
    {
        var js = new StringBuilder("// Written by the server from its modules (docs/architecture.md#how-to-add-a-service-module).\n")
            .Append("import { registerPage } from './registry.js';\n\n");
        foreach (var page in modules.SelectMany(m => m.ConsolePages))
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(page.Id, "^[a-z][a-z0-9-]*$"))
            {
                throw new InvalidOperationException($"console page id '{page.Id}' must be lower-case letters, digits and dashes");
            }

            var title = JavaScriptEncoder.Default.Encode(page.Title);
            js.Append($"registerPage({{ id: '{page.Id}', title: '{title}', admin: {(page.AdminOnly ? "true" : "false")}, load: () => import('./{page.Id}/page.js') }});\n");
        }

        return js.ToString();
    }
}
