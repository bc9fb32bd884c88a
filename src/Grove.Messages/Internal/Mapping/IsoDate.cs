namespace Grove.Messages.Internal.Mapping;

/// <summary>
/// The common ISO 8601 shape (<c>yyyy-MM-ddTHH:mm:ss[.fffffff][Z|±hh:mm]</c>) parsed and the stored form written
/// by hand: about 20× cheaper than the culture-aware parser and a custom format string, and a message carries dozens
/// of dates. Anything else goes the general way.
/// </summary>
internal static class IsoDate
{
    /// <summary>Parses the common shape; false when <paramref name="s"/> is not exactly that shape.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, TimeSpan defaultOffset, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        var at = 19;
        long ticks = 0;
        if (at < s.Length && s[at] == '.')
        {
            var start = ++at;
            while (at < s.Length && char.IsAsciiDigit(s[at]))
            {
                if (at - start < 7)
                {
                    ticks = (ticks * 10) + (s[at] - '0');
                }

                at++;
            }

            var digits = Math.Min(at - start, 7);
            if (digits == 0)
            {
                return false;
            }

            for (var k = digits; k < 7; k++)
            {
                ticks *= 10;
            }
        }

        var offset = defaultOffset;
        if (at < s.Length)
        {
            if (s[at] == 'Z' && at + 1 == s.Length)
            {
                offset = TimeSpan.Zero;
            }
            else if ((s[at] == '+' || s[at] == '-') && s.Length == at + 6 && s[at + 3] == ':' && Digits(s, at + 1, 2, out var oh) && Digits(s, at + 4, 2, out var om) && oh <= 14 && om < 60)
            {
                offset = new TimeSpan(oh, om, 0) * (s[at] == '-' ? -1 : 1);
            }
            else
            {
                return false;
            }
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return false;
        }

        try
        {
            value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(ticks), offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>The stored form: UTC, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public static string Format(DateTimeOffset t)
    {
        var u = t.UtcDateTime;
        return string.Create(24, u, static (span, u) =>
        {
            Write(span, 0, u.Year, 4);
            span[4] = '-';
            Write(span, 5, u.Month, 2);
            span[7] = '-';
            Write(span, 8, u.Day, 2);
            span[10] = 'T';
            Write(span, 11, u.Hour, 2);
            span[13] = ':';
            Write(span, 14, u.Minute, 2);
            span[16] = ':';
            Write(span, 17, u.Second, 2);
            span[19] = '.';
            Write(span, 20, u.Millisecond, 3);
            span[23] = 'Z';
        });
    }

    private static void Write(Span<char> span, int at, int value, int width)
    {
        for (var i = at + width - 1; i >= at; i--)
        {
            span[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool Digits(ReadOnlySpan<char> s, int at, int count, out int value)
    {
        value = 0;
        for (var i = at; i < at + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

}
