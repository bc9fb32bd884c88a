using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Grove.Tree.Internal;

/// <summary>Which keys may be set, and how values become row fields.</summary>
internal static partial class MetaRules
{
    /// <summary>Largest serialized custom metadata of one object.</summary>
    public const int MaxMetaBytes = 64 * 1024;

    private static readonly HashSet<string> Settable = new(StringComparer.Ordinal) { "tp", "mime", "lbls", "g", "md", "expi", "ln", "c", "m" };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex KeyPattern();

    public static bool IsSettableBuiltIn(string key) => Settable.Contains(key);

    public static void ValidateKey(string key)
    {
        if (TreeObject.BuiltInKeys.Contains(key))
        {
            throw new TreeException(TreeErrorCode.InvalidMeta, $"'{key}' is a built-in key, not a custom one");
        }

        if (!KeyPattern().IsMatch(key))
        {
            throw new TreeException(TreeErrorCode.InvalidMeta, $"bad metadata key '{key}': use letters, digits, '_' and '-', starting with a letter or '_', at most 64");
        }
    }

    public static IReadOnlyDictionary<string, JsonElement> Validate(IReadOnlyDictionary<string, JsonElement> meta)
    {
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (k, v) in meta)
        {
            ValidateKey(k);
            if (v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                d[k] = v.Clone();
            }
        }

        CheckSize(d);
        return d;
    }

    private static void CheckSize(Dictionary<string, JsonElement> d)
    {
        if (d.Count > 0 && RowCodec.SerializeMeta(d).Length > MaxMetaBytes)
        {
            throw new TreeException(TreeErrorCode.InvalidMeta, $"custom metadata over {MaxMetaBytes / 1024} KiB; keep large values in file content");
        }
    }

    /// <summary>The row with the changes applied; a null value removes a key.</summary>
    public static TreeObject Apply(TreeObject row, IReadOnlyDictionary<string, object?> changes)
    {
        var meta = new Dictionary<string, JsonElement>(row.Meta, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (TreeObject.BuiltInKeys.Contains(key))
            {
                row = ApplyBuiltIn(row, key, value);
                continue;
            }

            ValidateKey(key);
            var e = JsonValues.FromPlain(value);
            if (e.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                meta.Remove(key);
            }
            else
            {
                meta[key] = e;
            }
        }

        CheckSize(meta);
        return row with { Meta = meta };
    }

    private static TreeObject ApplyBuiltIn(TreeObject row, string key, object? value)
    {
        if (!Settable.Contains(key))
        {
            throw new TreeException(TreeErrorCode.InvalidMeta, $"'{key}' is managed by Grove and cannot be set");
        }

        value = value is JsonElement je ? JsonValues.ToPlain(je) : value;
        return key switch
        {
            "tp" => row with { Type = Text(key, value) },
            "mime" => row with { Mime = Text(key, value) },
            "g" => row with { Group = Text(key, value) },
            "ln" => row with { Link = value is null ? null : TreeNames.Normalize(Text(key, value)!) },
            "c" => row with { Creator = Text(key, value) },
            "m" => row with { Modifier = Text(key, value) },
            "md" => row with { Mode = Mode(value) },
            "expi" => row with { Expires = Time(value) },
            "lbls" => row with { Labels = Labels(value) },
            _ => row,
        };
    }

    private static string? Text(string key, object? value) => value switch
    {
        null => null,
        string s when s.Length <= 1024 => s,
        _ => throw new TreeException(TreeErrorCode.InvalidMeta, $"'{key}' takes a string of at most 1024 characters"),
    };

    private static int Mode(object? value) => value switch
    {
        long l and >= 0 and <= 0b111_111_111 => (int)l,
        string s when s.Length is > 0 and <= 4 && s.All(c => c is >= '0' and <= '7') => Convert.ToInt32(s, 8),
        _ => throw new TreeException(TreeErrorCode.InvalidMeta, "'md' takes mode bits: a number 0-511 or an octal string such as \"750\""),
    };

    private static long? Time(object? value) => value switch
    {
        null => null,
        long l => l,
        double d => (long)d,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t.ToUnixTimeMilliseconds(),
        _ => throw new TreeException(TreeErrorCode.InvalidMeta, "'expi' takes ms since the Unix epoch or an ISO 8601 time"),
    };

    private static IReadOnlyList<string> Labels(object? value) => value switch
    {
        null => [],
        string s => [s],
        IEnumerable<object?> list when list.All(x => x is string { Length: > 0 and <= 256 }) => list.Cast<string>().Distinct(StringComparer.Ordinal).ToList(),
        _ => throw new TreeException(TreeErrorCode.InvalidMeta, "'lbls' takes a list of non-empty strings"),
    };
}
