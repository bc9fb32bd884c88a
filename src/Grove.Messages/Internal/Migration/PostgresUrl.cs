using Npgsql;

namespace Grove.Messages.Internal.Migration;

/// <summary>A migration source's PostgreSQL address: <c>postgres://user:pass@host:port/db?key=value</c> or an Npgsql connection string.</summary>
internal static class PostgresUrl
{
    public static string ToConnectionString(string from)
    {
        var s = from.Trim();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(s).ConnectionString;
            }
            catch (ArgumentException e)
            {
                throw MessageException.Invalid($"bad PostgreSQL connection string: {e.Message}");
            }
        }

        var rest = s[(scheme + 3)..];
        var query = "";
        if (rest.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var b = new NpgsqlConnectionStringBuilder();
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var user = rest[..at];
            rest = rest[(at + 1)..];
            var colon = user.IndexOf(':', StringComparison.Ordinal);
            b.Username = Uri.UnescapeDataString(colon < 0 ? user : user[..colon]);
            if (colon >= 0)
            {
                b.Password = Uri.UnescapeDataString(user[(colon + 1)..]);
            }
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? rest : rest[..slash];
        if (slash >= 0 && slash + 1 < rest.Length)
        {
            b.Database = Uri.UnescapeDataString(rest[(slash + 1)..]);
        }

        var port = host.LastIndexOf(':');
        if (port > 0 && !host.EndsWith(']') && int.TryParse(host[(port + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var p))
        {
            b.Port = p;
            host = host[..port];
        }

        b.Host = Uri.UnescapeDataString(host.Trim('[', ']'));
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            try
            {
                b[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
            catch (ArgumentException e)
            {
                throw MessageException.Invalid($"bad PostgreSQL URL parameter '{pair}': {e.Message}");
            }
        }

        return b.ConnectionString;
    }
}
