using System.Text.Json;

namespace Grove.Tree.Internal;

/// <summary>Turns filter operands and object values into the plain values that <see cref="ScalarOrder"/> compares.</summary>
internal static class Scalars
{
    /// <summary>
    /// Normalizes a filter operand to null, long, double, string or bool. For <c>race</c>, "DIR"/"FILE" (any case)
    /// become 0/1. Throws <see cref="TreeErrorCode.InvalidFilter"/> for anything else.
    /// </summary>
    public static object? Operand(string key, object? value)
    {
        var v = Plain(key, value);
        if (key == "race" && v is string s)
        {
            if (s.Equals("DIR", StringComparison.OrdinalIgnoreCase))
            {
                return 0L;
            }

            if (s.Equals("FILE", StringComparison.OrdinalIgnoreCase))
            {
                return 1L;
            }
        }

        return v;
    }

    /// <summary>The value of a key as filters and sorts compare it: arrays and objects count as missing, race is 0/1.</summary>
    public static object? Of(TreeObject o, string key)
    {
        if (key == "race")
        {
            return o.Race == ObjectRace.Dir ? 0L : 1L;
        }

        return o.Get(key) switch
        {
            string s => s,
            long l => l,
            double d => d,
            bool b => b,
            _ => null,
        };
    }

    /// <summary>The string a pattern matches against, or null when the value is not a string (race reads DIR/FILE).</summary>
    public static string? TextOf(TreeObject o, string key) => key == "race" ? (string?)o.Get(key) : Of(o, key) as string;

    private static object? Plain(string key, object? value) => value switch
    {
        null or string or long or bool => value,
        int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : (double)u,
        double d => Finite(key, d),
        float f => Finite(key, f),
        decimal m => decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue ? (long)m : (double)m,
        DateTimeOffset t => t.ToUnixTimeMilliseconds(),
        DateTime t => new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t)
            .ToUnixTimeMilliseconds(),
        JsonElement e when e.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object) => Plain(key, JsonValues.ToPlain(e)),
        _ => throw FilterError.Key(key, $"a value must be a string, number, boolean or null, not {value.GetType().Name}"),
    };

    private static double Finite(string key, double d) =>
        double.IsFinite(d) ? d : throw FilterError.Key(key, "a number must be finite");
}
