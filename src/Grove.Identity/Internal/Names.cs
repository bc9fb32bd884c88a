using System.Text.RegularExpressions;

namespace Grove.Identity.Internal;

/// <summary>Rules for user and group names, passwords and key names.</summary>
internal static partial class Names
{
    public const int MinPassword = 8;
    public const int MaxPassword = 1024;
    public const int MaxKeyName = 64;

    // Note that \z, not $: '$' also matches before a final newline, which would let "alice\n" through.
    [GeneratedRegex(@"^[a-z_][a-z0-9_.-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static bool IsValid(string? name) => name is not null && NamePattern().IsMatch(name);

    public static void Validate(string what, string? name)
    {
        if (!IsValid(name))
        {
            throw IdentityException.BadRequest(
                $"bad {what} name: use a-z, 0-9, '_', '.' and '-', starting with a letter or '_', at most 64 characters");
        }
    }

    public static void ValidatePassword(string? password)
    {
        if (password is null || password.Length < MinPassword)
        {
            throw IdentityException.BadRequest($"the password must have at least {MinPassword} characters");
        }

        if (password.Length > MaxPassword)
        {
            throw IdentityException.BadRequest($"the password may have at most {MaxPassword} characters");
        }
    }

    public static string ValidateKeyName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxKeyName || trimmed.Any(char.IsControl))
        {
            throw IdentityException.BadRequest($"an API key needs a name of 1 to {MaxKeyName} printable characters");
        }

        return trimmed;
    }

    /// <summary>Validated, de-duplicated, in ordinal order.</summary>
    public static IReadOnlyList<string> ValidateList(string what, IReadOnlyList<string>? names)
    {
        var list = names ?? [];
        foreach (var n in list)
        {
            Validate(what, n);
        }

        return list.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}
