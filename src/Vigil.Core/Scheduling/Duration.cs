using System.Globalization;

namespace Vigil.Scheduling;

/// <summary>
/// Durations as operators write them: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>,
/// and sums of them such as <c>1h30m</c>.
/// </summary>
public static class Duration
{
    /// <summary>Parses a duration; returns false with a one-line reason when it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (text.IsEmpty)
        {
            error = "empty duration";
            return false;
        }

        long totalTicks = 0;
        var position = 0;
        while (position < text.Length)
        {
            var digitsStart = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            if (position == digitsStart)
            {
                error = $"\"{text}\" is not a duration (expected a number followed by ms, s, m, h or d, e.g. 30s)";
                return false;
            }

            if (!long.TryParse(text[digitsStart..position], NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
                || amount > 100_000_000)
            {
                error = $"\"{text}\" is too large";
                return false;
            }

            var unitStart = position;
            while (position < text.Length && char.IsAsciiLetter(text[position]))
            {
                position++;
            }

            var ticksPerUnit = UnitTicks(text[unitStart..position]);
            if (ticksPerUnit == 0)
            {
                error = unitStart == position
                    ? $"\"{text}\" has no unit (use ms, s, m, h or d, e.g. {amount}s)"
                    : $"\"{text}\" has an unknown unit \"{text[unitStart..position]}\" (use ms, s, m, h or d)";
                return false;
            }

            try
            {
                totalTicks = checked(totalTicks + checked(amount * ticksPerUnit));
            }
            catch (OverflowException)
            {
                error = $"\"{text}\" is too large";
                return false;
            }
        }

        value = TimeSpan.FromTicks(totalTicks);
        error = null;
        return true;
    }

    /// <summary>Parses a duration or throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value, out var error) ? value : throw new FormatException(error);
    }

    /// <summary>Formats a duration in the shortest form <see cref="Parse"/> reads back, e.g. <c>1h30m</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new System.Text.StringBuilder();
        var ticks = value.Ticks;
        if (ticks < 0)
        {
            builder.Append('-');
            ticks = -ticks;
        }

        Append(ref ticks, TimeSpan.TicksPerDay, "d");
        Append(ref ticks, TimeSpan.TicksPerHour, "h");
        Append(ref ticks, TimeSpan.TicksPerMinute, "m");
        Append(ref ticks, TimeSpan.TicksPerSecond, "s");
        Append(ref ticks, TimeSpan.TicksPerMillisecond, "ms");
        return builder.ToString();

        void Append(ref long remaining, long unit, string suffix)
        {
            if (remaining >= unit)
            {
                builder.Append((remaining / unit).ToString(CultureInfo.InvariantCulture)).Append(suffix);
                remaining %= unit;
            }
        }
    }

    private static long UnitTicks(ReadOnlySpan<char> unit) => unit switch
    {
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" or "sec" or "secs" => TimeSpan.TicksPerSecond,
        "m" or "min" or "mins" => TimeSpan.TicksPerMinute,
        "h" or "hr" or "hrs" => TimeSpan.TicksPerHour,
        "d" => TimeSpan.TicksPerDay,
        _ => 0,
    };
}
