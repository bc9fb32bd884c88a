using System.Text.RegularExpressions;

namespace Grove.Tree.Storage;

/// <summary>
/// A store string, parsed once: which provider keeps the root index (<see cref="Kind"/>) and its setting. Forms:
/// empty or <c>sqlite</c> (SQLite in the data folder, the default), <c>mem</c> (a throwaway tree),
/// <c>postgres://user:pass@host:port/db</c>, <c>postgresql://…</c> or an Npgsql connection string
/// (<c>Host=…;Database=…</c>), and for other providers <c>kind</c>, <c>kind:setting</c> or <c>kind://setting</c>.
/// Parsing checks the syntax only; whether a provider serves the kind is the <see cref="StorageRegistry"/>'s answer.
/// </summary>
public sealed partial record StoreSpec
{
    /// <summary>The kind of the embedded default.</summary>
    public const string SqliteKind = "sqlite";

    /// <summary>The kind of the PostgreSQL store.</summary>
    public const string PostgresKind = "postgres";

    /// <summary>The kind of the throwaway in-memory store.</summary>
    public const string MemoryKind = "mem";

    private const int MaxLength = 4096;

    private StoreSpec(string kind, string? setting, string text)
    {
        Kind = kind;
        Setting = setting;
        Text = text;
    }

    /// <summary>The provider kind, lower case: <c>sqlite</c>, <c>postgres</c>, <c>mem</c>, or another provider's.</summary>
    public string Kind { get; }

    /// <summary>The provider's setting: the whole connection text for PostgreSQL, what follows <c>kind:</c> otherwise; null when absent.</summary>
    public string? Setting { get; }

    /// <summary>The text as given (trimmed); <c>sqlite</c> for the default.</summary>
    public string Text { get; }

    /// <summary>The embedded default: SQLite in the data folder.</summary>
    public static StoreSpec Sqlite { get; } = new(SqliteKind, null, SqliteKind);

    /// <summary>The text with any password hidden, for messages and logs.</summary>
    public string Display => PasswordInUrl().Replace(PasswordInConnectionString().Replace(Text, "$1***"), "$1***$2");

    /// <summary>Parses a store string; null or blank is the SQLite default.</summary>
    /// <exception cref="TreeException">With <see cref="TreeErrorCode.InvalidStore"/> when the text is malformed.</exception>
    public static StoreSpec Parse(string? text) =>
        TryParse(text, out var spec, out var error) ? spec : throw new TreeException(TreeErrorCode.InvalidStore, error);

    /// <summary>Parses a store string; false with a message naming what is wrong.</summary>
    public static bool TryParse(string? text, out StoreSpec spec, out string error)
    {
        spec = Sqlite;
        error = "";
        var s = text?.Trim() ?? "";
        if (s.Length == 0)
        {
            return true;
        }

        if (s.Length > MaxLength || s.Any(char.IsControl))
        {
            error = s.Length > MaxLength ? $"the store string is over {MaxLength} characters" : "the store string contains a control character";
            return false;
        }

        if (s.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || (s.Contains('=', StringComparison.Ordinal) && !s.Contains("://", StringComparison.Ordinal)))
        {
            spec = new StoreSpec(PostgresKind, s, s);
            return true;
        }

        var cut = s.IndexOf(':', StringComparison.Ordinal);
        var word = cut < 0 ? s : s[..cut];
        if (word.Length == 0 || !word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            error = $"'{Shown(s)}' is not a store: use sqlite, mem, postgres://user:pass@host/db or KIND[:SETTING]";
            return false;
        }

        string? setting = null;
        if (cut >= 0)
        {
            setting = s[(cut + 1)..];
            if (setting.StartsWith("//", StringComparison.Ordinal))
            {
                setting = setting[2..];
            }

            setting = setting.Length == 0 ? null : setting;
        }

        spec = new StoreSpec(word.ToLowerInvariant(), setting, s);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Display;

    private static string Shown(string s) => s.Length <= 100 ? s : s[..100] + "...";

    [GeneratedRegex(@"(://[^:/@]*:)[^@]*(@)")]
    private static partial Regex PasswordInUrl();

    [GeneratedRegex(@"((?:^|;)\s*password\s*=)[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInConnectionString();
}
