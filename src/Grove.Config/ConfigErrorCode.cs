namespace Grove.Config;

/// <summary>Stable codes of <see cref="ConfigException"/>; the HTTP layers map them to statuses, so never rename one.</summary>
public static class ConfigErrorCode
{
    /// <summary>A bad dataId, group, tenant, type, parameter or probe string (400).</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>No such config, history entry or beta (404).</summary>
    public const string NotFound = "not_found";

    /// <summary>Content over <see cref="ConfigOptions.MaxContentBytes"/>; see <see cref="ConfigException.Limit"/> (413).</summary>
    public const string TooLarge = "too_large";

    /// <summary>Content that does not parse as its type; see <see cref="ConfigException.Line"/> and <see cref="ConfigException.Column"/> (400).</summary>
    public const string InvalidFormat = "invalid_format";

    /// <summary>The config exists (create-only), changed meanwhile (MD5 compare-and-swap), or an import found existing keys (409).</summary>
    public const string Conflict = "conflict";

    /// <summary>The store is unreachable: reads are served from memory, writes are refused until it is back (503).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The actor may not change configs (403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>Too many requests or long polls from one client; see <see cref="GroveException.RetryAfter"/> (503 with Retry-After, as Diamond).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>
    /// This node's master key is not the one the shared store was first opened with: secrets published on other nodes
    /// could not be read here (500; the node refuses to start). Give every node the same key.
    /// </summary>
    public const string MasterKeyMismatch = "master_key_mismatch";
}
