using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace Grove.Tree.Internal.Postgres;

/// <summary>
/// Turns a PostgreSQL store string into an Npgsql connection string. Two forms: a libpq-style URL
/// (<c>postgres://user:pass@host:port/db?sslmode=require</c>, also <c>postgresql://</c>, several hosts as
/// <c>h1:5432,h2:5432</c>) or a plain Npgsql connection string (<c>Host=...;Database=...</c>).
/// </summary>
internal static partial class PostgresStoreString
{
    /// <summary>Prepared statements kept per connection unless the store string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// Uses of a statement on a connection before it is prepared, unless the store string says otherwise. Note that a
    /// pool hands its connections out in turn, so each sees a statement a server runs over and over only once in so
    /// many runs: at Npgsql's default of 5, a page across six tables was planned anew (1.8 ms) most of the times it ran.
    /// </summary>
    public const int DefaultAutoPrepareMinUsages = 2;

    // libpq URL parameters that Npgsql spells differently; any Npgsql keyword is accepted as well.
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["user"] = "Username",
        ["password"] = "Password",
        ["host"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
    };

    private static readonly Dictionary<string, string> SslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["verify-ca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
    };

    /// <summary>True for <c>postgres://</c> and <c>postgresql://</c> URLs.</summary>
    public static bool IsUrl(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Npgsql connection string, with <c>Max Auto Prepare</c> and <c>Auto Prepare Min Usages</c> defaulted. Throws <see cref="ArgumentException"/> when malformed.</summary>
    public static string ToConnectionString(string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        store = store.Trim();
        NpgsqlConnectionStringBuilder builder;
        if (IsUrl(store))
        {
            builder = FromUrl(store);
        }
        else if (OtherScheme().IsMatch(store) || !store.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                "unknown store: use 'sqlite', 'mem', a postgres:// URL or an Npgsql connection string (Host=...;Database=...)", nameof(store));
        }
        else
        {
            try
            {
                builder = new NpgsqlConnectionStringBuilder(store);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"bad PostgreSQL connection string: {e.Message}", nameof(store), e);
            }
        }

        if (!IsSet(builder, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!IsSet(builder, "Auto Prepare Min Usages"))
        {
            builder.AutoPrepareMinUsages = DefaultAutoPrepareMinUsages;
        }

        return builder.ConnectionString;
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = "";
        if (rest.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', rest.LastIndexOf('@') + 1);
        var authority = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? "" : Decode(rest[(slash + 1)..]);
        var builder = new NpgsqlConnectionStringBuilder();
        if (authority.LastIndexOf('@') is var at and >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Decode(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..]);
            }
        }

        SetHosts(builder, authority);
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            Set(builder, key, value);
        }

        return builder;
    }

    // host, host:port, [v6]:port, or several of them separated by commas (Npgsql's multi-host form).
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string authority)
    {
        if (authority.Length == 0)
        {
            return;
        }

        var hosts = authority.Split(',').Select(h =>
        {
            var end = h.StartsWith('[') ? h.IndexOf(']', StringComparison.Ordinal) : -1;
            var colon = h.IndexOf(':', end < 0 ? 0 : end);
            var host = Decode(colon < 0 ? h : h[..colon]).Trim('[', ']');
            var port = colon < 0 ? null : h[(colon + 1)..];
            if (host.Length == 0 || (port is not null && !ushort.TryParse(port, out _)))
            {
                throw new ArgumentException($"bad host '{h}' in the PostgreSQL URL", "store");
            }

            return (Host: host, Port: port);
        }).ToList();
        if (hosts.Count == 1)
        {
            builder.Host = hosts[0].Host;
            if (hosts[0].Port is { } port)
            {
                builder.Port = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture);
            }

            return;
        }

        builder.Host = string.Join(',', hosts.Select(h => h.Port is null ? h.Host : $"{h.Host}:{h.Port}"));
    }

    private static void Set(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        var name = LibpqNames.GetValueOrDefault(key, key);
        if (name == "SSL Mode")
        {
            value = SslModes.GetValueOrDefault(value, value);
        }

        try
        {
            builder[name] = value;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The value stays out of the message: it may be a password.
            throw new ArgumentException(
                $"unknown or invalid option '{key}' in the PostgreSQL URL: use a libpq parameter ({string.Join(", ", LibpqNames.Keys)}) "
                + "or an Npgsql connection string keyword with a valid value", "store", e);
        }
    }

    private static bool IsSet(NpgsqlConnectionStringBuilder builder, string keyword)
    {
        var generic = new DbConnectionStringBuilder { ConnectionString = builder.ConnectionString };
        return generic.Keys.Cast<string>().Any(k => Normalize(k) == Normalize(keyword));
    }

    private static string Normalize(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private static string Decode(string s) => Uri.UnescapeDataString(s);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial Regex OtherScheme();
}
