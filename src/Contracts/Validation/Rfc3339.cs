namespace Streams.Contracts.Validation;

/// <summary>
/// Strict RFC 3339 <c>date-time</c>: <c>YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)</c>. The offset is mandatory and
/// kept as given. <c>t</c>/<c>z</c> may be lower case (RFC 3339 §5.6). Not accepted: a missing offset, a space
/// instead of <c>T</c>, leap second 60, offsets beyond ±14:00 (not representable), digits after the 7th
/// fractional digit are truncated (100 ns resolution).
/// </summary>
public static class Rfc3339
{
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null && TryParse(text.AsSpan(), out value);
    }

    public static bool TryParse(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20)
            return false;
        if (!Digits(s, 0, 4, out int year) || s[4] != '-' || !Digits(s, 5, 2, out int month) || s[7] != '-'
            || !Digits(s, 8, 2, out int day) || (s[10] != 'T' && s[10] != 't')
            || !Digits(s, 11, 2, out int hour) || s[13] != ':' || !Digits(s, 14, 2, out int minute) || s[16] != ':'
            || !Digits(s, 17, 2, out int second))
            return false;

        int i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            i++;
            int start = i;
            long scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                scale /= 10;
                fractionTicks += (s[i] - '0') * scale;
                i++;
            }

            if (i == start)
                return false;
        }

        if (i >= s.Length)
            return false;

        TimeSpan offset;
        if (s[i] == 'Z' || s[i] == 'z')
        {
            offset = TimeSpan.Zero;
            i++;
        }
        else if (s[i] == '+' || s[i] == '-')
        {
            if (s.Length - i != 6 || !Digits(s, i + 1, 2, out int oh) || s[i + 3] != ':' || !Digits(s, i + 4, 2, out int om)
                || om > 59 || oh * 60 + om > 14 * 60)
                return false;
            offset = new TimeSpan(oh, om, 0);
            if (s[i] == '-')
                offset = -offset;
            i += 6;
        }
        else
        {
            return false;
        }

        if (i != s.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
            return false;

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        long utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks - fractionTicks)
            return false;
        value = new DateTimeOffset(local.AddTicks(fractionTicks), offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
            return false;
        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
                return false;
            value = value * 10 + (s[i] - '0');
        }

        return true;
    }
}
