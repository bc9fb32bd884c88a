using System.Text;
using Grove.Config;

namespace Grove.Server.Internal.Config;

/// <summary>
/// The probe strings of Diamond's <c>Probe-Modify-Request</c> and Nacos's <c>Listening-Configs</c>:
/// <c>dataId^2group^2md5[^2tenant]^1…</c> (^2 is char 2, ^1 char 1), and the answer, the changed
/// <c>dataId^2group[^2tenant]^1…</c> URL-encoded as Java's <c>URLEncoder</c> does.
/// </summary>
internal static class ProbeText
{
    public const char Word = (char)2;
    public const char Line = (char)1;
    private const int MaxEntries = 10_000;

    /// <summary>One probed config: the key, the MD5 the client holds, and the tenant as the client wrote it.</summary>
    public readonly record struct Entry(ConfigProbe Probe, string? RawTenant);

    /// <summary>Parses a probe string; a malformed one is <c>invalid_argument</c> naming the entry and what is wrong.</summary>
    public static List<Entry> Parse(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw Invalid($"{field} is required: dataId^2group^2md5^1… (^2 is char 2, ^1 is char 1)");
        }

        // Note that some clients encode the value once more than the form needs (Nacos's server decodes twice).
        if (text.IndexOf(Word, StringComparison.Ordinal) < 0 && text.Contains("%02", StringComparison.OrdinalIgnoreCase))
        {
            text = Uri.UnescapeDataString(text.Replace('+', ' '));
        }

        var entries = new List<Entry>();
        var lines = text.Split(Line);
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            // Note that the last entry may lack its char 1 (Diamond's server split the string, so it accepted that).
            if (line.Length == 0 && n == lines.Length - 1)
            {
                continue;
            }

            var fields = line.Split(Word);
            if (fields.Length is < 3 or > 4)
            {
                throw Invalid($"{field} entry {n + 1} has {fields.Length} field(s) separated by char 2; expected dataId^2group^2md5 or dataId^2group^2md5^2tenant");
            }

            var group = fields[1].Length == 0 ? ConfigKey.DefaultGroup : fields[1];
            var rawTenant = fields.Length == 4 && fields[3].Length > 0 ? fields[3] : null;
            if (ConfigKey.Validate(fields[0], group, Tenants.Normalize(rawTenant)) is { } error)
            {
                throw Invalid($"{field} entry {n + 1}: {error}");
            }

            var md5 = fields[2];
            if (md5.Length != 0 && (md5.Length != 32 || !md5.All(char.IsAsciiHexDigit)))
            {
                throw Invalid($"{field} entry {n + 1}: the MD5 '{ConfigArgs.Shorten(md5)}' is not 32 hex digits (or empty for a config the client does not have)");
            }

            entries.Add(new Entry(new ConfigProbe(ConfigKey.Create(fields[0], group, Tenants.Normalize(rawTenant)), md5.ToLowerInvariant()), rawTenant));
            if (entries.Count > MaxEntries)
            {
                throw Invalid($"{field} lists more than {MaxEntries} configs");
            }
        }

        if (entries.Count == 0)
        {
            throw Invalid($"{field} lists no config: dataId^2group^2md5^1…");
        }

        return entries;
    }

    /// <summary>The tenants as the client wrote them, of the entries that named one (null when none did: the usual case).</summary>
    public static Dictionary<ConfigKey, string>? TenantsOf(IReadOnlyList<Entry> asked)
    {
        Dictionary<ConfigKey, string>? tenants = null;
        foreach (var e in asked)
        {
            if (e.RawTenant is { } raw)
            {
                (tenants ??= [])[e.Probe.Key] = raw;
            }
        }

        return tenants;
    }

    /// <summary>
    /// The answer: each changed key as <c>dataId^2group^1</c>, with <c>^2tenant</c> before the ^1 when the client
    /// named a tenant other than <c>public</c> for it, URL-encoded.
    /// </summary>
    public static string Encode(IEnumerable<ConfigKey> changed, IReadOnlyDictionary<ConfigKey, string>? tenants)
    {
        var text = new StringBuilder();
        foreach (var key in changed)
        {
            text.Append(key.DataId).Append(Word).Append(key.Group);
            if (tenants is not null && tenants.TryGetValue(key, out var tenant) && !Tenants.IsPublic(tenant))
            {
                text.Append(Word).Append(tenant);
            }

            text.Append(Line);
        }

        return JavaUrlEncode(text.ToString());
    }

    /// <summary>What <c>java.net.URLEncoder.encode(s, "UTF-8")</c> answers: A-Z a-z 0-9 . - * _ kept, space as +, the rest %XX.</summary>
    public static string JavaUrlEncode(string s)
    {
        var text = new StringBuilder(s.Length * 3 / 2);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_')
            {
                text.Append(c);
            }
            else if (c == ' ')
            {
                text.Append('+');
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static ConfigException Invalid(string message) => new(ConfigErrorCode.InvalidArgument, message);
}
