namespace Grove.Config;

/// <summary>
/// What names a config: namespace (tenant; empty is the default namespace), group and dataId. Each part is 1 to 256
/// characters of <c>[A-Za-z0-9_.:-]</c> (Nacos's rule), never <c>.</c> or <c>..</c>, so a key can name a dump file
/// without escaping the dump folder. Build one with <see cref="Create"/>.
/// </summary>
public readonly record struct ConfigKey
{
    /// <summary>The longest dataId, group or tenant.</summary>
    public const int MaxLength = 256;

    /// <summary>The group Diamond and Nacos clients use when they name none.</summary>
    public const string DefaultGroup = "DEFAULT_GROUP";

    private readonly string? _tenant;
    private readonly string? _group;
    private readonly string? _dataId;

    private ConfigKey(string tenant, string group, string dataId)
    {
        _tenant = tenant;
        _group = group;
        _dataId = dataId;
    }

    /// <summary>The namespace; empty for the default one.</summary>
    public string Tenant => _tenant ?? "";

    /// <summary>The group.</summary>
    public string Group => _group ?? "";

    /// <summary>The dataId.</summary>
    public string DataId => _dataId ?? "";

    /// <summary>A validated key. A null or empty <paramref name="tenant"/> is the default namespace.</summary>
    /// <exception cref="ConfigException"><c>invalid_argument</c> naming the bad part and why.</exception>
    public static ConfigKey Create(string? dataId, string? group, string? tenant = null)
    {
        Check("dataId", dataId);
        Check("group", group);
        if (!string.IsNullOrEmpty(tenant))
        {
            Check("tenant", tenant);
        }

        return new ConfigKey(tenant ?? "", group!, dataId!);
    }

    /// <summary>Like <see cref="Create"/>, without throwing: the error message, or null when the key is valid.</summary>
    public static string? Validate(string? dataId, string? group, string? tenant = null) =>
        PartError("dataId", dataId) ?? PartError("group", group) ?? (string.IsNullOrEmpty(tenant) ? null : PartError("tenant", tenant));

    /// <summary>Whether <paramref name="part"/> is a valid dataId, group or (non-empty) tenant.</summary>
    public static bool IsValidPart(string? part) => PartError("part", part) is null;

    private static void Check(string what, string? value)
    {
        if (PartError(what, value) is { } error)
        {
            throw ConfigException.Invalid(error);
        }
    }

    private static string? PartError(string what, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{what} is required";
        }

        if (value.Length > MaxLength)
        {
            return $"{what} is {value.Length} characters long; at most {MaxLength}";
        }

        if (value is "." or "..")
        {
            return $"{what} may not be '{value}'";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-'))
            {
                return $"{what} '{Shorten(value)}' has '{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())}' at position {i + 1}; use only A-Z a-z 0-9 _ . : -";
            }
        }

        return null;
    }

    private static string Shorten(string s) => s.Length <= 64 ? s : s[..64] + "…";

    /// <summary><c>group/dataId</c> in the default namespace, else <c>tenant/group/dataId</c>.</summary>
    public override string ToString() => Tenant.Length == 0 ? $"{Group}/{DataId}" : $"{Tenant}/{Group}/{DataId}";
}
