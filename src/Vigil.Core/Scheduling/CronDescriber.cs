using System.Globalization;
using System.Numerics;
using System.Text;

namespace Vigil.Scheduling;

/// <summary>Plain-language descriptions of cron expressions, and their nominal period.</summary>
internal static class CronDescriber
{
    private static readonly string[] Weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] Ordinals = ["first", "second", "third", "fourth", "fifth"];

    /// <summary>The median distance between consecutive fires, read off the expression's own timeline.</summary>
    public static TimeSpan NominalPeriod(CronExpression cron)
    {
        Span<long> gaps = stackalloc long[9];
        var reference = new DateTime(2001, 1, 1).Ticks;
        var previous = cron.NextLocal(reference);
        var count = 0;
        for (; count < gaps.Length && previous >= 0; count++)
        {
            var next = cron.NextLocal(previous + TimeSpan.TicksPerSecond);
            if (next < 0)
            {
                break;
            }

            gaps[count] = next - previous;
            previous = next;
        }

        if (count == 0)
        {
            return TimeSpan.FromDays(365);
        }

        var filled = gaps[..count];
        filled.Sort();
        return TimeSpan.FromTicks(filled[count / 2]);
    }

    public static string Describe(CronExpression cron, string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var f = cron.Fields;
        var offset = f.HasSeconds ? 1 : 0;
        var secondText = f.HasSeconds ? fields[0] : "0";
        var minuteText = fields[offset];
        var hourText = fields[offset + 1];

        var builder = new StringBuilder();
        builder.Append(DescribeTime(f, secondText, minuteText, hourText));
        var days = DescribeDays(cron, fields[offset + 2], fields[offset + 4]);
        var months = DescribeMonths(f.Months, fields[offset + 3]);
        if (days.Length > 0)
        {
            builder.Append(' ').Append(days);
        }
        else if (IsSingle(f.Hours) && IsSingle(f.Minutes) && months.Length == 0)
        {
            builder.Append(" every day");
        }

        if (months.Length > 0)
        {
            builder.Append(' ').Append(months);
        }

        return builder.ToString();
    }

    private static string DescribeTime(CronFields f, string secondText, string minuteText, string hourText)
    {
        var singleSecond = IsSingle(f.Seconds);
        if (singleSecond && IsSingle(f.Minutes) && IsSingle(f.Hours))
        {
            return "at " + Clock(Lowest(f.Hours), Lowest(f.Minutes), Lowest(f.Seconds));
        }

        if (singleSecond && Lowest(f.Seconds) == 0 && !IsAll(f.Hours) && !IsAll(f.Minutes)
            && BitOperations.PopCount(f.Hours) * BitOperations.PopCount(f.Minutes) <= 6 && !minuteText.Contains('/', StringComparison.Ordinal))
        {
            var times = new List<string>();
            foreach (var hour in Bits(f.Hours))
            {
                foreach (var minute in Bits(f.Minutes))
                {
                    times.Add(Clock(hour, minute, 0));
                }
            }

            return "at " + JoinAnd(times);
        }

        var parts = new List<string>();
        var secondPart = Part(secondText, f.Seconds, "second", 60);
        var minutePart = Part(minuteText, f.Minutes, "minute", 60);
        if (f.HasSeconds && !(singleSecond && Lowest(f.Seconds) == 0))
        {
            parts.Add(secondPart);
            if (!IsAll(f.Minutes))
            {
                parts.Add(minutePart);
            }
        }
        else
        {
            parts.Add(minutePart);
        }

        if (!IsAll(f.Hours))
        {
            parts.Add(HourPart(hourText, f.Hours));
        }
        else if (!f.HasSeconds || singleSecond)
        {
            if (IsSingle(f.Minutes))
            {
                parts[^1] += " past every hour";
            }
        }

        return string.Join(", ", parts);
    }

    private static string Part(string text, ulong bits, string unit, int cycle)
    {
        if (IsAllBits(bits, cycle))
        {
            return $"every {unit}";
        }

        if (text.StartsWith("*/", StringComparison.Ordinal))
        {
            return $"every {text[2..]} {unit}s";
        }

        var values = Bits(bits).ToList();
        return values.Count == 1
            ? $"at {unit} {values[0]}"
            : $"at {unit}s {JoinAnd(values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList())}";
    }

    private static string HourPart(string text, uint bits)
    {
        if (text.StartsWith("*/", StringComparison.Ordinal))
        {
            return $"every {text[2..]} hours";
        }

        var values = Bits(bits).ToList();
        var contiguous = values.Count > 1 && values[^1] - values[0] == values.Count - 1;
        if (contiguous)
        {
            return $"between {Clock(values[0], 0, 0)} and {Clock(values[^1], 59, 0)}";
        }

        return values.Count == 1
            ? $"during the {Clock(values[0], 0, 0)} hour"
            : $"during the hours {JoinAnd(values.Select(v => Clock(v, 0, 0)).ToList())}";
    }

    private static string DescribeDays(CronExpression cron, string domText, string dowText)
    {
        var f = cron.Fields;
        var parts = new List<string>();
        if (f.DayOfMonthRestricted)
        {
            var items = new List<string>();
            var plain = Bits(f.DaysOfMonth).ToList();
            if (plain.Count > 0)
            {
                items.Add(plain.Count == 1
                    ? $"day {plain[0]}"
                    : domText.Contains('/', StringComparison.Ordinal) && !domText.Contains(',', StringComparison.Ordinal)
                        ? $"every {domText[(domText.IndexOf('/', StringComparison.Ordinal) + 1)..]} days from day {plain[0]}"
                        : $"days {JoinAnd(plain.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList())}");
            }

            foreach (var back in Bits(f.LastDayOffsets))
            {
                items.Add(back == 0 ? "the last day" : $"{back} day{(back == 1 ? string.Empty : "s")} before the last day");
            }

            foreach (var back in Bits(f.LastWeekdayOffsets))
            {
                items.Add(back == 0 ? "the last weekday" : $"the weekday nearest {back} days before the last day");
            }

            foreach (var day in Bits(f.NearestWeekdays))
            {
                items.Add($"the weekday nearest day {day}");
            }

            parts.Add("on " + JoinAnd(items) + " of the month");
        }

        if (f.DayOfWeekRestricted)
        {
            var items = new List<string>();
            var plain = Bits(f.DaysOfWeek).ToList();
            if (plain.Count > 0)
            {
                items.Add(WeekdayList(plain, dowText));
            }

            foreach (var day in Bits(f.LastWeekdaysOfMonth))
            {
                items.Add($"the last {Weekdays[day]} of the month");
            }

            foreach (var bit in Bits(f.NthWeekdays))
            {
                items.Add($"the {Ordinals[bit / 7]} {Weekdays[bit % 7]} of the month");
            }

            parts.Add((plain.Count > 0 && items.Count == 1 && items[0].Contains("through", StringComparison.Ordinal) ? string.Empty : "on ") + JoinAnd(items));
        }

        return string.Join(" or ", parts);
    }

    private static string WeekdayList(List<int> days, string dowText)
    {
        if (days.Count == 5 && !days.Contains(0) && !days.Contains(6))
        {
            return "Monday through Friday";
        }

        if (days.Count == 2 && days.Contains(0) && days.Contains(6))
        {
            return "on weekends";
        }

        if (days.Count > 2 && dowText.Contains('-', StringComparison.Ordinal) && !dowText.Contains(',', StringComparison.Ordinal)
            && !dowText.Contains('/', StringComparison.Ordinal))
        {
            var dash = dowText.IndexOf('-', StringComparison.Ordinal);
            return $"{Weekdays[DayNumber(dowText[..dash])]} through {Weekdays[DayNumber(dowText[(dash + 1)..])]}";
        }

        return JoinAnd(days.Select(d => Weekdays[d]).ToList());
    }

    private static int DayNumber(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number % 7;
        }

        for (var day = 0; day < 7; day++)
        {
            if (Weekdays[day].StartsWith(text, StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }

        return 0;
    }

    private static string DescribeMonths(uint months, string text)
    {
        if (text == "*" || months == 0x1FFE)
        {
            return string.Empty;
        }

        var values = Bits(months).ToList();
        return "in " + JoinAnd(values.Select(m => Months[m - 1]).ToList());
    }

    private static string Clock(int hour, int minute, int second) => second == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{hour:00}:{minute:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{hour:00}:{minute:00}:{second:00}");

    private static string JoinAnd(List<string> items) => items.Count switch
    {
        0 => string.Empty,
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    private static bool IsSingle(ulong bits) => BitOperations.PopCount(bits) == 1;

    private static bool IsAll(ulong bits) => BitOperations.PopCount(bits) is 60 or 24;

    private static bool IsAllBits(ulong bits, int cycle) => BitOperations.PopCount(bits) == cycle;

    private static int Lowest(ulong bits) => BitOperations.TrailingZeroCount(bits);

    private static IEnumerable<int> Bits(ulong bits)
    {
        while (bits != 0)
        {
            yield return BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
        }
    }
}
