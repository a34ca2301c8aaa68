using System.Globalization;
using Vigil.Scheduling;

namespace Vigil.Core.Tests.Scheduling;

/// <summary>
/// Calendar corners of cron (leap days, short months, <c>L</c>, <c>W</c>, <c>#</c>, day-of-month
/// OR day-of-week, spellings), the <c>every</c> grid, <c>at</c> one-shots and the half-open
/// occurrence range. All in UTC unless a row says otherwise, so no transition interferes.
/// </summary>
public class CalendarEdgeTests
{
    // Weekdays used below: 2026-01-01 is a Thursday; 2026-08-01 a Saturday; 2026-05-31 a Sunday;
    // 2026-02-15 a Sunday; 2026-04-13 a Monday; 2036-02-01 a Friday (2036 is a leap year).
    public static TheoryData<string, string, string[]> Occurrences => new()
    {
        // Leap days: only in leap years, 2100-style exceptions aside.
        { "0 0 29 2 *", "2025-01-01T00:00:00Z", ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"] },
        { "0 0 29 2 *", "2028-02-29T00:00:00Z", ["2032-02-29T00:00:00Z"] },
        { "0 0 28 2 *", "2100-01-01T00:00:00Z", ["2100-02-28T00:00:00Z", "2101-02-28T00:00:00Z"] },
        { "0 0 29 2 *", "2096-03-01T00:00:00Z", ["2104-02-29T00:00:00Z"] },

        // The 31st skips the months that do not have one.
        { "0 0 31 * *", "2026-01-01T00:00:00Z", ["2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z", "2026-10-31T00:00:00Z", "2026-12-31T00:00:00Z"] },
        { "0 0 30,31 2,3 *", "2026-01-01T00:00:00Z", ["2026-03-30T00:00:00Z", "2026-03-31T00:00:00Z", "2027-03-30T00:00:00Z"] },

        // L, L-n.
        { "0 0 L * *", "2026-01-01T00:00:00Z", ["2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z"] },
        { "0 0 L * *", "2028-02-01T00:00:00Z", ["2028-02-29T00:00:00Z", "2028-03-31T00:00:00Z"] },
        { "0 0 L-3 * *", "2026-01-01T00:00:00Z", ["2026-01-28T00:00:00Z", "2026-02-25T00:00:00Z", "2026-03-28T00:00:00Z", "2026-04-27T00:00:00Z"] },
        { "0 0 L-30 * *", "2025-12-31T12:00:00Z", ["2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z"] },

        // LW: the last weekday; 2026-05-31 is a Sunday, so May's is Friday the 29th.
        { "0 0 LW * *", "2026-05-01T00:00:00Z", ["2026-05-29T00:00:00Z", "2026-06-30T00:00:00Z", "2026-07-31T00:00:00Z"] },
        { "0 0 L-1W * *", "2026-05-01T00:00:00Z", ["2026-05-29T00:00:00Z", "2026-06-29T00:00:00Z", "2026-07-30T00:00:00Z"] },

        // nW: Sunday the 15th moves to Monday; Saturday the 1st moves forward to Monday the 3rd
        // (not back into July); Sunday the 31st moves back to Friday (not into June).
        { "0 0 15W * *", "2026-01-20T00:00:00Z", ["2026-02-16T00:00:00Z", "2026-03-16T00:00:00Z", "2026-04-15T00:00:00Z"] },
        { "0 0 1W * *", "2026-07-15T00:00:00Z", ["2026-08-03T00:00:00Z", "2026-09-01T00:00:00Z"] },
        { "0 0 31W * *", "2026-05-01T00:00:00Z", ["2026-05-29T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z"] },

        // nL, n#k: the last Friday; the fifth Saturday (most months have none); the first Monday.
        { "0 0 * * 5L", "2026-01-01T00:00:00Z", ["2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z", "2026-03-27T00:00:00Z", "2026-04-24T00:00:00Z"] },
        { "0 0 * * 6#5", "2026-01-01T00:00:00Z", ["2026-01-31T00:00:00Z", "2026-05-30T00:00:00Z", "2026-08-29T00:00:00Z", "2026-10-31T00:00:00Z"] },
        { "0 0 * * 1#1", "2026-01-01T00:00:00Z", ["2026-01-05T00:00:00Z", "2026-02-02T00:00:00Z", "2026-03-02T00:00:00Z", "2026-04-06T00:00:00Z"] },
        { "0 0 * 2 5#5", "2026-01-01T00:00:00Z", ["2036-02-29T00:00:00Z"] },

        // Both day fields restricted: a day matches if either does (every Friday and every 13th).
        { "0 0 13 * 5", "2026-04-01T00:00:00Z", ["2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z", "2026-04-13T00:00:00Z", "2026-04-17T00:00:00Z", "2026-04-24T00:00:00Z", "2026-05-01T00:00:00Z"] },
        { "0 0 1 * 1", "2026-05-30T00:00:00Z", ["2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z", "2026-06-15T00:00:00Z"] },

        // "?" is "*"; names are case-insensitive; 7 is Sunday; reversed ranges wrap.
        { "0 0 ? * 1", "2026-05-30T00:00:00Z", ["2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z"] },
        { "0 0 1 * ?", "2026-01-15T00:00:00Z", ["2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"] },
        { "0 12 * jan,Jul MON-fri", "2026-01-01T00:00:00Z", ["2026-01-01T12:00:00Z", "2026-01-02T12:00:00Z", "2026-01-05T12:00:00Z"] },
        { "0 0 * * 7", "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"] },
        { "0 0 * * FRI-MON", "2026-01-01T00:00:00Z", ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-05T00:00:00Z", "2026-01-09T00:00:00Z"] },
        { "0 22-1 * * *", "2026-01-01T00:00:00Z", ["2026-01-01T01:00:00Z", "2026-01-01T22:00:00Z", "2026-01-01T23:00:00Z", "2026-01-02T00:00:00Z", "2026-01-02T01:00:00Z"] },
        { "0 0 1 NOV-FEB *", "2026-02-15T00:00:00Z", ["2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z", "2027-11-01T00:00:00Z"] },

        // Six fields: a leading seconds field.
        { "*/20 * * * * *", "2026-01-01T00:00:00Z", ["2026-01-01T00:00:20Z", "2026-01-01T00:00:40Z", "2026-01-01T00:01:00Z"] },
        { "30 0 12 * * *", "2026-01-01T00:00:00Z", ["2026-01-01T12:00:30Z", "2026-01-02T12:00:30Z"] },

        // Macros.
        { "@yearly", "2026-06-01T00:00:00Z", ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"] },
        { "@monthly", "2026-06-01T00:00:00Z", ["2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z"] },
        { "@weekly", "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"] },
        { "@daily", "2026-01-01T00:00:00Z", ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"] },
        { "@hourly", "2026-01-01T00:00:00Z", ["2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"] },

        // The last representable minute.
        { "59 23 31 12 *", "9999-12-30T00:00:00Z", ["9999-12-31T23:59:00Z"] },
    };

    [Theory]
    [MemberData(nameof(Occurrences))]
    public void GetNextOccurrence_CalendarEdge_FiresOnTheseDays(string expression, string from, string[] expected)
    {
        var schedule = Schedule.Parse(expression, TimeZoneInfo.Utc);

        Assert.Equal(expected, Next(schedule, Parse(from), expected.Length));
    }

    // Spellings that must mean the same thing, checked over every minute-level fire of 2026-2028.
    [Theory]
    [InlineData("0 0 * * 7", "0 0 * * 0")]
    [InlineData("0 0 * * SUN", "0 0 * * 0")]
    [InlineData("0 0 * * 5-7", "0 0 * * 0,5,6")]
    [InlineData("0 0 * * 0-7", "0 0 * * *")]
    [InlineData("0 0 * * FRI-MON", "0 0 * * 0,1,5,6")]
    [InlineData("0 0 * * 7L", "0 0 * * 0L")]
    [InlineData("0 0 * * 7#2", "0 0 * * SUN#2")]
    [InlineData("0 22-2 * * *", "0 0,1,2,22,23 * * *")]
    [InlineData("0 22-2/2 * * *", "0 0,2,22 * * *")]
    [InlineData("0 0 30-2 * *", "0 0 1,2,30,31 * *")]
    [InlineData("0 0 1 NOV-FEB *", "0 0 1 1,2,11,12 *")]
    [InlineData("*/20 * * * *", "0,20,40 * * * *")]
    [InlineData("5/15 * * * *", "5,20,35,50 * * * *")]
    [InlineData("0 0 ? * MON", "0 0 * * 1")]
    [InlineData("0 0 1 * ?", "0 0 1 * *")]
    [InlineData("0 0 l * *", "0 0 L * *")]
    [InlineData("0 0 lw * *", "0 0 LW * *")]
    [InlineData("0 0 * * 5l", "0 0 * * 5L")]
    [InlineData("0 0 * jan-MAR mon", "0 0 * 1-3 1")]
    [InlineData("0 0 0 * * *", "0 0 * * *")]
    [InlineData("@annually", "0 0 1 1 *")]
    [InlineData("@midnight", "0 0 * * *")]
    public void GetOccurrences_EquivalentSpellings_Agree(string left, string right)
    {
        var from = Parse("2026-01-01T00:00:00Z");
        var to = Parse("2029-01-01T00:00:00Z");

        var a = Schedule.Parse(left, TimeZoneInfo.Utc).GetOccurrences(from, to).ToList();
        var b = Schedule.Parse(right, TimeZoneInfo.Utc).GetOccurrences(from, to).ToList();

        Assert.NotEmpty(a);
        Assert.Equal(b, a);
    }

    [Theory]
    [InlineData("@yearly", "0 0 1 1 *")]
    [InlineData("@annually", "0 0 1 1 *")]
    [InlineData("@monthly", "0 0 1 * *")]
    [InlineData("@weekly", "0 0 * * 0")]
    [InlineData("@daily", "0 0 * * *")]
    [InlineData("@midnight", "0 0 * * *")]
    [InlineData("@hourly", "0 * * * *")]
    [InlineData("@DAILY", "0 0 * * *")]
    public void Parse_Macro_ExpandsToCron(string macro, string expected)
    {
        var schedule = Schedule.Parse(macro, TimeZoneInfo.Utc);

        Assert.Equal(ScheduleKind.Cron, schedule.Kind);
        Assert.Equal(expected, schedule.Expression);
    }

    [Theory]
    [InlineData("0 0 L-30 2 *")]
    [InlineData("0 0 L-29W 2 *")]
    public void GetNextOccurrence_DayThatNeverComes_ReturnsNull(string expression)
    {
        var schedule = Schedule.Parse(expression, TimeZoneInfo.Utc);

        Assert.Null(schedule.GetNextOccurrence(Parse("2026-01-01T00:00:00Z")));
    }

    [Fact]
    public void GetNextOccurrence_PastTheLastRepresentableFire_ReturnsNull()
    {
        var schedule = Schedule.Parse("59 23 31 12 *", TimeZoneInfo.Utc);

        Assert.Null(schedule.GetNextOccurrence(Parse("9999-12-31T23:59:00Z")));
    }

    // In a zone behind UTC the last local minutes of 9999 lie past the end of DateTimeOffset, and
    // at the start of time "from" plus the offset lies before year 1. Both used to throw.
    [Theory]
    [InlineData("59 23 31 12 *", "America/New_York", "9999-12-30T00:00:00Z")]
    [InlineData("59 23 31 12 *", "Etc/GMT+5", "9999-12-30T00:00:00Z")]
    [InlineData("* * * * *", "America/New_York", "9999-12-31T23:59:59.9999999Z")]
    [InlineData("* * * * *", "Etc/GMT+5", "9999-12-31T23:59:59.9999999Z")]
    public void GetNextOccurrence_FirePastTheEndOfTime_ReturnsNull(string expression, string zoneId, string from)
    {
        var schedule = Schedule.Parse(expression, TimeZones.Find(zoneId));

        Assert.Null(schedule.GetNextOccurrence(Parse(from)));
        Assert.Empty(schedule.GetOccurrences(Parse(from), DateTimeOffset.MaxValue));
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Etc/GMT+5")]
    [InlineData("Asia/Tokyo")]
    [InlineData("UTC")]
    public void GetNextOccurrence_FromTheStartOfTime_FindsTheFirstFire(string zoneId)
    {
        var zone = TimeZones.Find(zoneId);
        var schedule = Schedule.Parse("0 0 * * *", zone);

        var next = schedule.GetNextOccurrence(DateTimeOffset.MinValue);

        Assert.NotNull(next);
        Assert.True(next > DateTimeOffset.MinValue && next <= DateTimeOffset.MinValue.AddDays(2), $"{next:o}");
        Assert.Equal(TimeSpan.Zero, TimeZoneInfo.ConvertTime(next.Value, zone).TimeOfDay);
    }

    // The grid: anchor + k * period for every integer k, whatever "from" is.
    [Theory]
    [InlineData("2026-01-01T00:11:00Z", new[] { "2026-01-01T00:40:00Z", "2026-01-01T01:10:00Z", "2026-01-01T01:40:00Z" })]
    [InlineData("2026-01-01T00:10:00Z", new[] { "2026-01-01T00:40:00Z", "2026-01-01T01:10:00Z" })]
    [InlineData("2026-01-01T00:09:59Z", new[] { "2026-01-01T00:10:00Z", "2026-01-01T00:40:00Z" })]
    [InlineData("2025-12-31T23:00:00Z", new[] { "2025-12-31T23:10:00Z", "2025-12-31T23:40:00Z", "2026-01-01T00:10:00Z" })]
    [InlineData("2025-12-31T23:40:00Z", new[] { "2026-01-01T00:10:00Z" })]
    [InlineData("2025-01-01T00:00:00Z", new[] { "2025-01-01T00:10:00Z", "2025-01-01T00:40:00Z" })]
    public void GetNextOccurrence_Every30mFromAnAnchor_StaysOnTheGrid(string from, string[] expected)
    {
        var schedule = Schedule.Parse("every 30m", TimeZoneInfo.Utc, Parse("2026-01-01T00:10:00Z"));

        Assert.Equal(ScheduleKind.Every, schedule.Kind);
        Assert.Equal(expected, Next(schedule, Parse(from), expected.Length));
    }

    [Fact]
    public void GetNextOccurrence_EveryOddPeriod_NeverDriftsOverManyPeriods()
    {
        var anchor = Parse("2026-01-01T00:00:03Z");
        var period = TimeSpan.FromSeconds(7 * 60 + 11);
        var schedule = Schedule.Every(period, anchor);

        // k from -5000 to 5000: each slot is found from just before it and from the previous slot.
        for (var k = -5000L; k <= 5000; k += 37)
        {
            var slot = anchor + TimeSpan.FromTicks(k * period.Ticks);
            Assert.Equal(slot, schedule.GetNextOccurrence(slot.AddTicks(-1)));
            Assert.Equal(slot, schedule.GetNextOccurrence(slot - period));
            Assert.Equal(slot + period, schedule.GetNextOccurrence(slot));
        }
    }

    // 2026-03-29 Europe/Berlin: 01:59:59 +01:00 -> 03:00:00 +02:00: the grid is real time, the gap does not matter.
    [Fact]
    public void GetNextOccurrence_EveryAcrossAGap_KeepsRealTimeSpacing()
    {
        var schedule = Schedule.Parse("every 1h", TimeZones.Find("Europe/Berlin"), Parse("2026-01-01T00:00:00Z"));

        Assert.Equal(
            ["2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z", "2026-03-29T03:00:00Z"],
            Next(schedule, Parse("2026-03-29T00:30:00Z"), 3));
    }

    [Theory]
    [InlineData("at 2026-12-01T09:00:00+01:00", "UTC", "2026-11-30T00:00:00Z", "2026-12-01T08:00:00Z")]
    [InlineData("2026-12-01T09:00:00+01:00", "UTC", "2026-11-30T00:00:00Z", "2026-12-01T08:00:00Z")]
    [InlineData("at 2026-12-01T09:00:00+01:00", "UTC", "2026-12-01T07:59:59Z", "2026-12-01T08:00:00Z")]
    [InlineData("at 2026-12-01T09:00:00+01:00", "UTC", "2026-12-01T08:00:00Z", null)]
    [InlineData("at 2026-12-01T09:00:00+01:00", "UTC", "2027-01-01T00:00:00Z", null)]
    [InlineData("at 2026-12-01T09:00:00", "Europe/Berlin", "2026-11-30T00:00:00Z", "2026-12-01T08:00:00Z")]
    // 2026-03-29 Europe/Berlin: 02:30 does not exist; the one-shot moves to the end of the gap.
    [InlineData("at 2026-03-29T02:30:00", "Europe/Berlin", "2026-03-01T00:00:00Z", "2026-03-29T01:00:00Z")]
    // 2026-10-25 Europe/Berlin: 02:30 occurs twice; the one-shot takes the first pass (+02:00).
    [InlineData("at 2026-10-25T02:30:00", "Europe/Berlin", "2026-10-01T00:00:00Z", "2026-10-25T00:30:00Z")]
    public void GetNextOccurrence_OneShot_FiresOnceThenNever(string text, string zoneId, string from, string? expected)
    {
        var schedule = Schedule.Parse(text, TimeZones.Find(zoneId));

        Assert.Equal(ScheduleKind.At, schedule.Kind);
        Assert.Equal(expected, Format(schedule.GetNextOccurrence(Parse(from))));
    }

    [Theory]
    [InlineData("0 * * * *", "2026-01-01T00:00:00Z", "2026-01-01T03:00:00Z", new[] { "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z" })]
    [InlineData("0 * * * *", "2026-01-01T00:00:00.0000001Z", "2026-01-01T03:00:00.0000001Z", new[] { "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z" })]
    [InlineData("0 * * * *", "2026-01-01T01:00:00Z", "2026-01-01T01:00:00Z", new string[0])]
    [InlineData("0 * * * *", "2026-01-01T01:00:00Z", "2026-01-01T01:00:00.0000001Z", new[] { "2026-01-01T01:00:00Z" })]
    [InlineData("0 * * * *", "2026-01-01T02:00:00Z", "2026-01-01T01:00:00Z", new string[0])]
    [InlineData("every 30m", "2026-01-01T00:00:00Z", "2026-01-01T01:30:00Z", new[] { "2026-01-01T00:00:00Z", "2026-01-01T00:30:00Z", "2026-01-01T01:00:00Z" })]
    [InlineData("at 2026-01-01T01:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", new[] { "2026-01-01T01:00:00Z" })]
    [InlineData("at 2026-01-01T01:00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", new string[0])]
    public void GetOccurrences_HalfOpenRange_IncludesFromExcludesTo(string expression, string from, string to, string[] expected)
    {
        var schedule = Schedule.Parse(expression, TimeZoneInfo.Utc);

        var actual = schedule.GetOccurrences(Parse(from), Parse(to)).Select(o => Format(o)).ToArray();

        Assert.Equal(expected, actual);
    }

    private static string[] Next(Schedule schedule, DateTimeOffset from, int count)
    {
        var result = new List<string>();
        var cursor = from;
        for (var i = 0; i < count; i++)
        {
            var next = schedule.GetNextOccurrence(cursor);
            if (next is null)
            {
                break;
            }

            result.Add(Format(next)!);
            cursor = next.Value;
        }

        return [.. result];
    }

    private static DateTimeOffset Parse(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static string? Format(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
