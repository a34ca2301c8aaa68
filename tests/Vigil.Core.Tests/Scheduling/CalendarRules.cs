namespace Vigil.Core.Tests.Scheduling;

/// <summary>The calendar rules of the day-field specials, written out from their definitions.</summary>
internal static class CalendarRules
{
    /// <summary>
    /// The weekday nearest <paramref name="day"/> within its month: a Saturday goes back to Friday
    /// unless that leaves the month (the 1st goes on to Monday the 3rd); a Sunday goes on to Monday
    /// unless that leaves the month (the last day goes back to Friday).
    /// </summary>
    public static int NearestWeekday(int year, int month, int day)
    {
        var daysInMonth = DateTime.DaysInMonth(year, month);
        return new DateOnly(year, month, day).DayOfWeek switch
        {
            DayOfWeek.Saturday => day == 1 ? 3 : day - 1,
            DayOfWeek.Sunday => day == daysInMonth ? day - 2 : day + 1,
            _ => day,
        };
    }

    /// <summary><c>L-n</c> (or <c>L-nW</c> with <paramref name="weekday"/>): n days before the last day.</summary>
    public static bool IsBeforeMonthEnd(DateOnly date, int back, bool weekday)
    {
        var target = DateTime.DaysInMonth(date.Year, date.Month) - back;
        if (target < 1)
        {
            return false;
        }

        return date.Day == (weekday ? NearestWeekday(date.Year, date.Month, target) : target);
    }

    /// <summary><c>nW</c>: the weekday nearest day n, in months that have a day n.</summary>
    public static bool IsNearestWeekday(DateOnly date, int day) =>
        day <= DateTime.DaysInMonth(date.Year, date.Month) && date.Day == NearestWeekday(date.Year, date.Month, day);

    /// <summary><c>nL</c>: the last such weekday of the month (no later one fits).</summary>
    public static bool IsLastWeekdayOfMonth(DateOnly date, int weekday) =>
        (int)date.DayOfWeek == weekday % 7 && date.Day + 7 > DateTime.DaysInMonth(date.Year, date.Month);

    /// <summary><c>n#k</c>: the k-th such weekday of the month.</summary>
    public static bool IsNthWeekdayOfMonth(DateOnly date, int weekday, int k) =>
        (int)date.DayOfWeek == weekday % 7 && ((date.Day - 1) / 7) + 1 == k;
}
