using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal.Config;

/// <summary>The client's address as the config endpoints see it (gray releases and the request counter go by it).</summary>
internal static class ClientAddress
{
    /// <summary>
    /// The connection's remote address (IPv4-mapped IPv6 shown as IPv4), or, with <paramref name="trustForwarded"/>,
    /// the first <c>X-Forwarded-For</c> entry. Null when there is none (a Unix socket): Diamond answers 400 then.
    /// </summary>
    public static string? Of(HttpContext ctx, bool trustForwarded)
    {
        if (trustForwarded && ctx.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded)
        {
            var first = forwarded.Split(',')[0].Trim();
            if (System.Net.IPAddress.TryParse(first, out var parsed))
            {
                return Text(parsed);
            }
        }

        return ctx.Connection.RemoteIpAddress is { } ip ? Text(ip) : null;
    }

    private static string Text(System.Net.IPAddress ip) => (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
}
