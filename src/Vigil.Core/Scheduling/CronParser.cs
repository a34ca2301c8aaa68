using System.Globalization;

namespace Vigil.Scheduling;

/// <summary>
/// Parses 5-field (<c>min hour dom mon dow</c>) and 6-field (leading seconds) cron expressions and
/// the macros into <see cref="CronExpression"/>. Every error names the field and the reason.
/// </summary>
internal static class CronParser
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] WeekdayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>The macros and the expressions they stand for.</summary>
    public static string? ExpandMacro(string text) => text.ToLowerInvariant() switch
    {
        "@yearly" or "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" or "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        "@every_minute" => "* * * * *",
        "@every_second" => "* * * * * *",
        _ => null,
    };

    /// <summary>Parses <paramref name="expression"/>; errors quote <paramref name="text"/> (what the user wrote).</summary>
    public static CronExpression Parse(string text, string expression)
    {
        Span<Range> ranges = stackalloc Range[8];
        var span = expression.AsSpan().Trim();
        var count = 0;
        var position = 0;
        while (position < span.Length)
        {
            while (position < span.Length && (span[position] == ' ' || span[position] == '\t'))
            {
                position++;
            }

            if (position >= span.Length)
            {
                break;
            }

            var start = position;
            while (position < span.Length && span[position] != ' ' && span[position] != '\t')
            {
                position++;
            }

            if (count == ranges.Length)
            {
                count++;
                break;
            }

            ranges[count++] = start..position;
        }

        if (count is not (5 or 6))
        {
            throw new ScheduleFormatException(text, count > 6
                ? "expected 5 or 6 fields (minute hour day-of-month month day-of-week, optionally seconds first), got more than 6"
                : $"expected 5 or 6 fields (minute hour day-of-month month day-of-week, optionally seconds first), got {count}");
        }

        var hasSeconds = count == 6;
        var offset = hasSeconds ? 1 : 0;
        var context = new Context(text);
        ulong seconds = 1;
        var interval = false;
        if (hasSeconds)
        {
            seconds = ParseSimple(context, span[ranges[0]], FieldKind.Second, 1, ref interval);
        }

        var minutes = ParseSimple(context, span[ranges[offset]], FieldKind.Minute, offset + 1, ref interval);
        var hours = (uint)ParseSimple(context, span[ranges[offset + 1]], FieldKind.Hour, offset + 2, ref interval);
        var noInterval = false;
        var months = (uint)ParseSimple(context, span[ranges[offset + 3]], FieldKind.Month, offset + 4, ref noInterval);

        var fields = new CronFields
        {
            Seconds = seconds,
            Minutes = minutes,
            Hours = hours,
            Months = months,
            HasSeconds = hasSeconds,
            IsInterval = interval,
        };
        fields = ParseDayOfMonth(context, span[ranges[offset + 2]], offset + 3, fields);
        fields = ParseDayOfWeek(context, span[ranges[offset + 4]], offset + 5, fields);
        CheckSatisfiable(context, fields, offset + 3);
        return new CronExpression(fields);
    }

    private static ulong ParseSimple(Context context, ReadOnlySpan<char> field, FieldKind kind, int fieldNumber, ref bool interval)
    {
        if (field.SequenceEqual("?"))
        {
            throw context.Error($"\"?\" is only allowed in day-of-month and day-of-week, not in {Name(kind)}", fieldNumber);
        }

        ulong bits = 0;
        foreach (var item in new ItemEnumerator(field))
        {
            if (item.IsEmpty)
            {
                throw context.Error($"{Name(kind)} \"{field}\" has an empty list item", fieldNumber);
            }

            if (item.IndexOfAny('*', '-', '/') >= 0)
            {
                interval = true;
            }

            bits |= ParseItem(context, item, kind, fieldNumber);
        }

        return bits;
    }

    /// <summary>One list item: <c>*</c>, <c>*/n</c>, <c>a</c>, <c>a-b</c>, <c>a-b/n</c>, <c>a/n</c>.</summary>
    private static ulong ParseItem(Context context, ReadOnlySpan<char> item, FieldKind kind, int fieldNumber)
    {
        var (min, max) = Bounds(kind);
        var step = 1;
        var slash = item.IndexOf('/');
        var body = item;
        if (slash >= 0)
        {
            var stepText = item[(slash + 1)..];
            if (!TryNumber(stepText, out step))
            {
                throw context.Error($"step \"{stepText}\" in {Name(kind)} \"{item}\" is not a number", fieldNumber);
            }

            var span = kind == FieldKind.DayOfWeek ? 7 : max - min + 1;
            if (step < 1 || step > span)
            {
                throw context.Error($"step {step} in {Name(kind)} \"{item}\" is outside 1-{span}", fieldNumber);
            }

            body = item[..slash];
        }

        int first, last;
        if (body.SequenceEqual("*"))
        {
            first = min;
            last = kind == FieldKind.DayOfWeek ? 6 : max;
        }
        else
        {
            var dash = body.IndexOf('-');
            if (dash >= 0)
            {
                first = Value(context, body[..dash], kind, fieldNumber, item);
                last = Value(context, body[(dash + 1)..], kind, fieldNumber, item);
            }
            else
            {
                first = Value(context, body, kind, fieldNumber, item);
                last = slash >= 0 ? (kind == FieldKind.DayOfWeek ? 6 : max) : first;
            }
        }

        if (kind == FieldKind.DayOfWeek)
        {
            // 7 is Sunday too; "5-7" is Friday through Sunday, "0-7" every day.
            return WeekdayBits(first, last, step);
        }

        ulong bits = 0;
        if (first <= last)
        {
            for (var value = first; value <= last; value += step)
            {
                bits |= 1UL << value;
            }
        }
        else
        {
            // A reversed range wraps: hour "22-2" is 22,23,0,1,2.
            var length = max - first + 1 + (last - min + 1);
            for (var index = 0; index < length; index += step)
            {
                var value = first + index;
                if (value > max)
                {
                    value -= max - min + 1;
                }

                bits |= 1UL << value;
            }
        }

        return bits;
    }

    private static ulong WeekdayBits(int first, int last, int step)
    {
        ulong bits = 0;
        int length;
        if (first <= last)
        {
            length = last - first + 1;
        }
        else
        {
            length = 7 - first + last + 1;
        }

        for (var index = 0; index < length; index += step)
        {
            bits |= 1UL << ((first + index) % 7);
        }

        return bits;
    }

    private static CronFields ParseDayOfMonth(Context context, ReadOnlySpan<char> field, int fieldNumber, CronFields fields)
    {
        if (field.SequenceEqual("*") || field.SequenceEqual("?"))
        {
            return fields with { DaysOfMonth = AllDays, DayOfMonthRestricted = false };
        }

        uint days = 0, lastOffsets = 0, lastWeekdayOffsets = 0, nearest = 0;
        foreach (var item in new ItemEnumerator(field))
        {
            if (item.IsEmpty)
            {
                throw context.Error($"day-of-month \"{field}\" has an empty list item", fieldNumber);
            }

            var upper = item[0] is 'L' or 'l';
            if (upper)
            {
                // L, L-n, LW, L-nW
                var rest = item[1..];
                var weekday = rest.Length > 0 && rest[^1] is 'W' or 'w';
                if (weekday)
                {
                    rest = rest[..^1];
                }

                var back = 0;
                if (rest.Length > 0)
                {
                    if (rest[0] != '-' || !TryNumber(rest[1..], out back))
                    {
                        throw context.Error($"day-of-month \"{item}\" is not L, L-n, LW or L-nW", fieldNumber);
                    }

                    if (back > 30)
                    {
                        throw context.Error($"day-of-month \"{item}\": offset {back} is outside 0-30", fieldNumber);
                    }
                }

                if (weekday)
                {
                    lastWeekdayOffsets |= 1u << back;
                }
                else
                {
                    lastOffsets |= 1u << back;
                }

                continue;
            }

            if (item[^1] is 'W' or 'w')
            {
                var dayText = item[..^1];
                if (!TryNumber(dayText, out var day))
                {
                    throw context.Error($"day-of-month \"{item}\": W needs a single day before it, e.g. 15W", fieldNumber);
                }

                if (day is < 1 or > 31)
                {
                    throw context.Error($"day-of-month {day} is outside 1-31", fieldNumber);
                }

                nearest |= 1u << day;
                continue;
            }

            if (item.IndexOfAny('L', 'l', '#') >= 0)
            {
                throw context.Error($"day-of-month \"{item}\" is not valid here (L, L-n, LW and nW are; \"#\" belongs in day-of-week)", fieldNumber);
            }

            days |= (uint)ParseItem(context, item, FieldKind.DayOfMonth, fieldNumber);
        }

        return fields with
        {
            DaysOfMonth = days,
            LastDayOffsets = lastOffsets,
            LastWeekdayOffsets = lastWeekdayOffsets,
            NearestWeekdays = nearest,
            DayOfMonthRestricted = true,
        };
    }

    private static CronFields ParseDayOfWeek(Context context, ReadOnlySpan<char> field, int fieldNumber, CronFields fields)
    {
        if (field.SequenceEqual("*") || field.SequenceEqual("?"))
        {
            return fields with { DaysOfWeek = 0x7F, DayOfWeekRestricted = false };
        }

        byte weekdays = 0, lastOfMonth = 0;
        ulong nth = 0;
        foreach (var item in new ItemEnumerator(field))
        {
            if (item.IsEmpty)
            {
                throw context.Error($"day-of-week \"{field}\" has an empty list item", fieldNumber);
            }

            var hash = item.IndexOf('#');
            if (hash >= 0)
            {
                var weekday = Value(context, item[..hash], FieldKind.DayOfWeek, fieldNumber, item) % 7;
                if (!TryNumber(item[(hash + 1)..], out var occurrence) || occurrence is < 1 or > 5)
                {
                    throw context.Error($"day-of-week \"{item}\": the number after # must be 1-5", fieldNumber);
                }

                nth |= 1UL << (((occurrence - 1) * 7) + weekday);
                continue;
            }

            if (item.Length > 1 && item[^1] is 'L' or 'l' && item.IndexOfAny('-', '/', '*') < 0)
            {
                var weekday = Value(context, item[..^1], FieldKind.DayOfWeek, fieldNumber, item) % 7;
                lastOfMonth |= (byte)(1 << weekday);
                continue;
            }

            if (item.SequenceEqual("L") || item.SequenceEqual("l"))
            {
                throw context.Error("day-of-week \"L\" needs a weekday before it, e.g. 5L (last Friday); for the last day of the month put L in day-of-month", fieldNumber);
            }

            weekdays |= (byte)ParseItem(context, item, FieldKind.DayOfWeek, fieldNumber);
        }

        return fields with
        {
            DaysOfWeek = weekdays,
            LastWeekdaysOfMonth = lastOfMonth,
            NthWeekdays = nth,
            DayOfWeekRestricted = true,
        };
    }

    /// <summary>Rejects day-of-month sets that no selected month can hold (e.g. <c>0 0 30 2 *</c>).</summary>
    private static void CheckSatisfiable(Context context, CronFields fields, int fieldNumber)
    {
        if (!fields.DayOfMonthRestricted || fields.DayOfWeekRestricted
            || fields.LastDayOffsets != 0 || fields.LastWeekdayOffsets != 0)
        {
            return;
        }

        var smallest = System.Numerics.BitOperations.TrailingZeroCount(fields.DaysOfMonth | fields.NearestWeekdays);
        for (var month = 1; month <= 12; month++)
        {
            if ((fields.Months & (1u << month)) != 0 && smallest <= DateTime.DaysInMonth(2000, month))
            {
                return;
            }
        }

        throw context.Error($"day-of-month {smallest} never occurs in the selected month(s)", fieldNumber);
    }

    private static int Value(Context context, ReadOnlySpan<char> text, FieldKind kind, int fieldNumber, ReadOnlySpan<char> item)
    {
        var (min, max) = Bounds(kind);
        if (TryNumber(text, out var value))
        {
            if (value < min || value > max)
            {
                throw context.Error($"{Name(kind)} {value} is outside {min}-{max}", fieldNumber);
            }

            return value;
        }

        var names = kind switch
        {
            FieldKind.Month => MonthNames,
            FieldKind.DayOfWeek => WeekdayNames,
            _ => null,
        };
        if (names is not null && text.Length == 3)
        {
            for (var index = 0; index < names.Length; index++)
            {
                if (text.Equals(names[index], StringComparison.OrdinalIgnoreCase))
                {
                    return kind == FieldKind.Month ? index + 1 : index;
                }
            }
        }

        var what = text.IsEmpty ? $"\"{item}\"" : $"\"{text}\"";
        throw names is null
            ? context.Error($"{Name(kind)} {what} is not a number", fieldNumber)
            : context.Error($"{Name(kind)} {what} is not a number or a name ({names[0]}-{names[^1]})", fieldNumber);
    }

    private static bool TryNumber(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 4)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private const uint AllDays = 0xFFFFFFFE;

    private static (int Min, int Max) Bounds(FieldKind kind) => kind switch
    {
        FieldKind.Second or FieldKind.Minute => (0, 59),
        FieldKind.Hour => (0, 23),
        FieldKind.DayOfMonth => (1, 31),
        FieldKind.Month => (1, 12),
        _ => (0, 7),
    };

    private static string Name(FieldKind kind) => kind switch
    {
        FieldKind.Second => "second",
        FieldKind.Minute => "minute",
        FieldKind.Hour => "hour",
        FieldKind.DayOfMonth => "day-of-month",
        FieldKind.Month => "month",
        _ => "day-of-week",
    };

    private enum FieldKind
    {
        Second,
        Minute,
        Hour,
        DayOfMonth,
        Month,
        DayOfWeek,
    }

    private readonly struct Context(string text)
    {
        public ScheduleFormatException Error(string reason, int fieldNumber) =>
            new(text, $"{reason} (field {fieldNumber})");
    }

    /// <summary>Splits a field on commas without allocating.</summary>
    private ref struct ItemEnumerator(ReadOnlySpan<char> field)
    {
        private readonly ReadOnlySpan<char> _field = field;
        private int _position = -1;

        public ReadOnlySpan<char> Current { get; private set; }

        public readonly ItemEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_position > _field.Length)
            {
                return false;
            }

            var start = _position + 1;
            if (start > _field.Length)
            {
                _position = start;
                return false;
            }

            var comma = _field[start..].IndexOf(',');
            var end = comma < 0 ? _field.Length : start + comma;
            Current = _field[start..end];
            _position = end;
            if (comma < 0)
            {
                _position = _field.Length + 1;
            }

            return true;
        }
    }
}
