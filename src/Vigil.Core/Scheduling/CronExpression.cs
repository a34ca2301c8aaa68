using System.Numerics;

namespace Vigil.Scheduling;

/// <summary>
/// A parsed cron expression as bit sets, and the search for the next matching local time.
/// Zone-free: <see cref="CronSchedule"/> maps local times to instants.
/// </summary>
/// <remarks>
/// Day-of-month specials are resolved per month into a 31-bit day mask, so one month costs a few
/// integer operations whatever the expression. When both day-of-month and day-of-week are
/// restricted (neither is <c>*</c> nor <c>?</c>) a day matches if either matches, as in classic cron.
/// </remarks>
internal sealed class CronExpression
{
    /// <summary>Years the search looks ahead before it concludes the expression never matches again (one Gregorian cycle).</summary>
    private const int SearchYears = 400;

    /// <summary>
    /// The day mask of a month depends only on its length (28-31) and the weekday of its first day,
    /// so there are 28 of them: filled in on first use (bit 0, never a day, marks a filled slot),
    /// then every month costs one look-up whatever the day-of-month and day-of-week specials are.
    /// Null when neither day field is restricted (every valid day matches).
    /// </summary>
    private readonly uint[]? _dayMasks;

    internal CronExpression(CronFields fields)
    {
        Fields = fields;
        if (fields.DayOfMonthRestricted || fields.DayOfWeekRestricted)
        {
            _dayMasks = new uint[4 * 7];
        }
    }

    /// <summary>The parsed fields.</summary>
    public CronFields Fields { get; }

    /// <summary>
    /// True when the second, minute or hour field contains <c>*</c>, a range or a step: such an expression
    /// keeps firing in real time through both passes of a repeated hour.
    /// </summary>
    public bool IsInterval => Fields.IsInterval;

    /// <summary>The first local time (ticks, whole seconds) at or after <paramref name="startLocal"/> that matches, or -1.</summary>
    public long NextLocal(long startLocal)
    {
        // Round up to a whole second. (Local ticks are never negative; unsigned division by a
        // constant is a multiply and a shift, where signed division needs fix-ups.)
        var remainder = (long)((ulong)startLocal % TimeSpan.TicksPerSecond);
        if (remainder != 0)
        {
            startLocal += TimeSpan.TicksPerSecond - remainder;
        }

        if (startLocal >= DateTime.MaxValue.Ticks)
        {
            return -1;
        }

        var date = new DateTime(startLocal);
        date.Deconstruct(out int year, out int month, out int day);
        var secondOfDay = (uint)((ulong)startLocal % TimeSpan.TicksPerDay / TimeSpan.TicksPerSecond);
        var hour = (int)(secondOfDay / 3600);
        var minute = (int)(secondOfDay / 60 % 60);
        var second = (int)(secondOfDay % 60);

        var lastYear = Math.Min(year + SearchYears, 9999);
        var f = Fields;
        var maskYear = 0;
        var maskMonth = 0;
        uint dayMask = 0;

        while (year <= lastYear)
        {
            var nextMonth = NextBit(f.Months, month);
            if (nextMonth < 0)
            {
                year++;
                month = 1;
                day = 1;
                hour = minute = second = 0;
                continue;
            }

            if (nextMonth != month)
            {
                month = nextMonth;
                day = 1;
                hour = minute = second = 0;
            }

            if (maskYear != year || maskMonth != month)
            {
                dayMask = DayMask(year, month);
                maskYear = year;
                maskMonth = month;
            }

            var nextDay = NextBit(dayMask, day);
            if (nextDay < 0)
            {
                NextMonth(ref year, ref month);
                day = 1;
                hour = minute = second = 0;
                continue;
            }

            if (nextDay != day)
            {
                day = nextDay;
                hour = minute = second = 0;
            }

            var nextHour = NextBit(f.Hours, hour);
            if (nextHour < 0)
            {
                day++;
                hour = minute = second = 0;
                continue;
            }

            if (nextHour != hour)
            {
                hour = nextHour;
                minute = second = 0;
            }

            var nextMinute = NextBit(f.Minutes, minute);
            if (nextMinute < 0)
            {
                hour++;
                minute = second = 0;
                if (hour > 23)
                {
                    day++;
                    hour = 0;
                }

                continue;
            }

            if (nextMinute != minute)
            {
                minute = nextMinute;
                second = 0;
            }

            var nextSecond = NextBit(f.Seconds, second);
            if (nextSecond < 0)
            {
                minute++;
                second = 0;
                if (minute > 59)
                {
                    minute = 0;
                    hour++;
                    if (hour > 23)
                    {
                        day++;
                        hour = 0;
                    }
                }

                continue;
            }

            return ((long)new DateOnly(year, month, day).DayNumber * TimeSpan.TicksPerDay)
                + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (nextSecond * TimeSpan.TicksPerSecond);
        }

        return -1;
    }

    /// <summary>Whether the local time <paramref name="localTicks"/> (whole seconds) matches every field.</summary>
    public bool Matches(long localTicks)
    {
        if (localTicks % TimeSpan.TicksPerSecond != 0)
        {
            return false;
        }

        var date = new DateTime(localTicks);
        var f = Fields;
        return (f.Seconds & (1UL << date.Second)) != 0
            && (f.Minutes & (1UL << date.Minute)) != 0
            && (f.Hours & (1u << date.Hour)) != 0
            && (f.Months & (1u << date.Month)) != 0
            && (DayMask(date.Year, date.Month) & (1u << date.Day)) != 0;
    }

    /// <summary>The days of <paramref name="month"/> that match, as bits 1-31.</summary>
    public uint DayMask(int year, int month)
    {
        var daysInMonth = DateTime.DaysInMonth(year, month);
        if (_dayMasks is null)
        {
            return (uint)((2UL << daysInMonth) - 2);
        }

        var firstWeekday = (int)new DateTime(year, month, 1).DayOfWeek;
        ref var slot = ref _dayMasks[((daysInMonth - 28) * 7) + firstWeekday];
        var filled = Volatile.Read(ref slot);
        if (filled == 0)
        {
            // Threads that race here compute the same value.
            filled = ComputeDayMask(daysInMonth, firstWeekday) | 1u;
            Volatile.Write(ref slot, filled);
        }

        return filled & ~1u;
    }

    /// <summary>The days that match in a month of <paramref name="daysInMonth"/> days whose first day is <paramref name="firstWeekday"/> (0 = Sunday).</summary>
    private uint ComputeDayMask(int daysInMonth, int firstWeekday)
    {
        var f = Fields;
        var validDays = (uint)((2UL << daysInMonth) - 2);
        uint dayOfMonth = 0;
        if (f.DayOfMonthRestricted)
        {
            dayOfMonth = f.DaysOfMonth;
            var lastDayOffsets = f.LastDayOffsets;
            while (lastDayOffsets != 0)
            {
                var offset = BitOperations.TrailingZeroCount(lastDayOffsets);
                lastDayOffsets &= lastDayOffsets - 1;
                if (daysInMonth - offset >= 1)
                {
                    dayOfMonth |= 1u << (daysInMonth - offset);
                }
            }

            var lastWeekdayOffsets = f.LastWeekdayOffsets;
            while (lastWeekdayOffsets != 0)
            {
                var offset = BitOperations.TrailingZeroCount(lastWeekdayOffsets);
                lastWeekdayOffsets &= lastWeekdayOffsets - 1;
                var target = daysInMonth - offset;
                if (target >= 1)
                {
                    dayOfMonth |= 1u << NearestWeekday(target, firstWeekday, daysInMonth);
                }
            }

            var nearestWeekdays = f.NearestWeekdays;
            while (nearestWeekdays != 0)
            {
                var target = BitOperations.TrailingZeroCount(nearestWeekdays);
                nearestWeekdays &= nearestWeekdays - 1;
                if (target <= daysInMonth)
                {
                    dayOfMonth |= 1u << NearestWeekday(target, firstWeekday, daysInMonth);
                }
            }
        }

        uint dayOfWeek = 0;
        if (f.DayOfWeekRestricted)
        {
            for (var day = 1; day <= daysInMonth; day++)
            {
                if ((f.DaysOfWeek & (1 << ((firstWeekday + day - 1) % 7))) != 0)
                {
                    dayOfWeek |= 1u << day;
                }
            }

            var lastWeekdays = (uint)f.LastWeekdaysOfMonth;
            if (lastWeekdays != 0)
            {
                var lastDayWeekday = (firstWeekday + daysInMonth - 1) % 7;
                while (lastWeekdays != 0)
                {
                    var weekday = BitOperations.TrailingZeroCount(lastWeekdays);
                    lastWeekdays &= lastWeekdays - 1;
                    dayOfWeek |= 1u << (daysInMonth - ((lastDayWeekday - weekday + 7) % 7));
                }
            }

            var nth = f.NthWeekdays;
            while (nth != 0)
            {
                var bit = BitOperations.TrailingZeroCount(nth);
                nth &= nth - 1;
                var weekday = bit % 7;
                var occurrence = bit / 7;
                var target = 1 + ((weekday - firstWeekday + 7) % 7) + (occurrence * 7);
                if (target <= daysInMonth)
                {
                    dayOfWeek |= 1u << target;
                }
            }
        }

        uint result;
        if (f.DayOfMonthRestricted && f.DayOfWeekRestricted)
        {
            result = dayOfMonth | dayOfWeek;
        }
        else
        {
            result = f.DayOfMonthRestricted ? dayOfMonth : dayOfWeek;
        }

        return result & validDays;
    }

    /// <summary>
    /// The weekday nearest <paramref name="day"/> without leaving the month: Saturday moves to Friday
    /// (or to Monday the 3rd when it is the 1st), Sunday to Monday (or to Friday when it is the last day).
    /// </summary>
    private static int NearestWeekday(int day, int firstWeekday, int daysInMonth)
    {
        var weekday = (firstWeekday + day - 1) % 7;
        return weekday switch
        {
            6 => day == 1 ? 3 : day - 1,
            0 => day == daysInMonth ? day - 2 : day + 1,
            _ => day,
        };
    }

    private static void NextMonth(ref int year, ref int month)
    {
        month++;
        if (month > 12)
        {
            month = 1;
            year++;
        }
    }

    private static int NextBit(ulong mask, int from)
    {
        if (from > 63)
        {
            return -1;
        }

        var remaining = mask & (ulong.MaxValue << from);
        return remaining == 0 ? -1 : BitOperations.TrailingZeroCount(remaining);
    }
}

/// <summary>The bit sets of a parsed cron expression.</summary>
internal readonly record struct CronFields
{
    /// <summary>Bits 0-59.</summary>
    public ulong Seconds { get; init; }

    /// <summary>Bits 0-59.</summary>
    public ulong Minutes { get; init; }

    /// <summary>Bits 0-23.</summary>
    public uint Hours { get; init; }

    /// <summary>Plain days of month, bits 1-31.</summary>
    public uint DaysOfMonth { get; init; }

    /// <summary><c>L</c> and <c>L-n</c>: bit n means "n days before the last day".</summary>
    public uint LastDayOffsets { get; init; }

    /// <summary><c>LW</c> and <c>L-nW</c>: bit n means "the weekday nearest n days before the last day".</summary>
    public uint LastWeekdayOffsets { get; init; }

    /// <summary><c>nW</c>: bit n means "the weekday nearest day n".</summary>
    public uint NearestWeekdays { get; init; }

    /// <summary>Bits 1-12.</summary>
    public uint Months { get; init; }

    /// <summary>Plain days of week, bits 0-6 (0 = Sunday).</summary>
    public byte DaysOfWeek { get; init; }

    /// <summary><c>nL</c>: bit n means "the last weekday n of the month".</summary>
    public byte LastWeekdaysOfMonth { get; init; }

    /// <summary><c>n#k</c>: bit (k-1)*7+n means "the k-th weekday n of the month".</summary>
    public ulong NthWeekdays { get; init; }

    /// <summary>Day of month is not <c>*</c> or <c>?</c>.</summary>
    public bool DayOfMonthRestricted { get; init; }

    /// <summary>Day of week is not <c>*</c> or <c>?</c>.</summary>
    public bool DayOfWeekRestricted { get; init; }

    /// <summary>The second, minute or hour field contains <c>*</c>, a range or a step.</summary>
    public bool IsInterval { get; init; }

    /// <summary>The expression had a seconds field.</summary>
    public bool HasSeconds { get; init; }
}
