using Vigil.Scheduling;

namespace Vigil.Core.Tests.Scheduling;

/// <summary>
/// Bad schedules are rejected with one <see cref="ScheduleFormatException"/> whose message is a
/// single line naming the text, the reason and (for cron) the field.
/// </summary>
public class ParserErrorTests
{
    public static TheoryData<string, string> BadSchedules => new()
    {
        // Values outside a field's range.
        { "0 25 * * *", "invalid schedule \"0 25 * * *\": hour 25 is outside 0-23 (field 2)" },
        { "0 24 * * *", "invalid schedule \"0 24 * * *\": hour 24 is outside 0-23 (field 2)" },
        { "60 * * * *", "invalid schedule \"60 * * * *\": minute 60 is outside 0-59 (field 1)" },
        { "0-60 * * * *", "invalid schedule \"0-60 * * * *\": minute 60 is outside 0-59 (field 1)" },
        { "0 0 0 * *", "invalid schedule \"0 0 0 * *\": day-of-month 0 is outside 1-31 (field 3)" },
        { "0 0 1-40 * *", "invalid schedule \"0 0 1-40 * *\": day-of-month 40 is outside 1-31 (field 3)" },
        { "0 0 1 0 *", "invalid schedule \"0 0 1 0 *\": month 0 is outside 1-12 (field 4)" },
        { "0 0 1 13 *", "invalid schedule \"0 0 1 13 *\": month 13 is outside 1-12 (field 4)" },
        { "0 0 * * 8", "invalid schedule \"0 0 * * 8\": day-of-week 8 is outside 0-7 (field 5)" },
        { "60 0 0 * * *", "invalid schedule \"60 0 0 * * *\": second 60 is outside 0-59 (field 1)" },
        { "0 60 0 * * *", "invalid schedule \"0 60 0 * * *\": minute 60 is outside 0-59 (field 2)" },

        // Field count.
        { "* * * *", "invalid schedule \"* * * *\": expected 5 or 6 fields (minute hour day-of-month month day-of-week, optionally seconds first), got 4" },
        { "* * * * * * *", "invalid schedule \"* * * * * * *\": expected 5 or 6 fields (minute hour day-of-month month day-of-week, optionally seconds first), got more than 6" },

        // Empty input.
        { "", "invalid schedule \"\": the schedule is empty" },
        { "   ", "invalid schedule \"   \": the schedule is empty" },

        // Names.
        { "0 0 * FOO *", "invalid schedule \"0 0 * FOO *\": month \"FOO\" is not a number or a name (JAN-DEC) (field 4)" },
        { "0 0 * JANUARY *", "invalid schedule \"0 0 * JANUARY *\": month \"JANUARY\" is not a number or a name (JAN-DEC) (field 4)" },
        { "0 0 * * FUNDAY", "invalid schedule \"0 0 * * FUNDAY\": day-of-week \"FUNDAY\" is not a number or a name (SUN-SAT) (field 5)" },
        { "0 0 * * MON-XYZ", "invalid schedule \"0 0 * * MON-XYZ\": day-of-week \"XYZ\" is not a number or a name (SUN-SAT) (field 5)" },

        // "?" belongs in the day fields only.
        { "? * * * *", "invalid schedule \"? * * * *\": \"?\" is only allowed in day-of-month and day-of-week, not in minute (field 1)" },
        { "0 ? * * *", "invalid schedule \"0 ? * * *\": \"?\" is only allowed in day-of-month and day-of-week, not in hour (field 2)" },

        // Steps.
        { "*/0 * * * *", "invalid schedule \"*/0 * * * *\": step 0 in minute \"*/0\" is outside 1-60 (field 1)" },
        { "*/61 * * * *", "invalid schedule \"*/61 * * * *\": step 61 in minute \"*/61\" is outside 1-60 (field 1)" },
        { "0 */25 * * *", "invalid schedule \"0 */25 * * *\": step 25 in hour \"*/25\" is outside 1-24 (field 2)" },
        { "0 0 * * 1/0", "invalid schedule \"0 0 * * 1/0\": step 0 in day-of-week \"1/0\" is outside 1-7 (field 5)" },

        // Lists.
        { "1,,2 * * * *", "invalid schedule \"1,,2 * * * *\": minute \"1,,2\" has an empty list item (field 1)" },

        // Days that never occur in the months named.
        { "0 0 30 2 *", "invalid schedule \"0 0 30 2 *\": day-of-month 30 never occurs in the selected month(s) (field 3)" },
        { "0 0 31 4,6,9,11 *", "invalid schedule \"0 0 31 4,6,9,11 *\": day-of-month 31 never occurs in the selected month(s) (field 3)" },

        // "#" (the k-th weekday).
        { "0 0 * * 1#6", "invalid schedule \"0 0 * * 1#6\": day-of-week \"1#6\": the number after # must be 1-5 (field 5)" },
        { "0 0 * * 1#0", "invalid schedule \"0 0 * * 1#0\": day-of-week \"1#0\": the number after # must be 1-5 (field 5)" },
        { "0 0 * * 1#", "invalid schedule \"0 0 * * 1#\": day-of-week \"1#\": the number after # must be 1-5 (field 5)" },
        { "0 0 * * 8#1", "invalid schedule \"0 0 * * 8#1\": day-of-week 8 is outside 0-7 (field 5)" },
        { "0 0 15#2 * *", "invalid schedule \"0 0 15#2 * *\": day-of-month \"15#2\" is not valid here (L, L-n, LW and nW are; \"#\" belongs in day-of-week) (field 3)" },

        // "W" (the nearest weekday) and "L".
        { "0 0 W * *", "invalid schedule \"0 0 W * *\": day-of-month \"W\": W needs a single day before it, e.g. 15W (field 3)" },
        { "0 0 1-5W * *", "invalid schedule \"0 0 1-5W * *\": day-of-month \"1-5W\": W needs a single day before it, e.g. 15W (field 3)" },
        { "0 0 32W * *", "invalid schedule \"0 0 32W * *\": day-of-month 32 is outside 1-31 (field 3)" },
        { "0 0 0W * *", "invalid schedule \"0 0 0W * *\": day-of-month 0 is outside 1-31 (field 3)" },
        { "0 0 * * 5W", "invalid schedule \"0 0 * * 5W\": day-of-week \"5W\" is not a number or a name (SUN-SAT) (field 5)" },
        { "0 0 LX * *", "invalid schedule \"0 0 LX * *\": day-of-month \"LX\" is not L, L-n, LW or L-nW (field 3)" },
        { "0 0 L-31 * *", "invalid schedule \"0 0 L-31 * *\": day-of-month \"L-31\": offset 31 is outside 0-30 (field 3)" },
        { "0 0 * * L", "invalid schedule \"0 0 * * L\": day-of-week \"L\" needs a weekday before it, e.g. 5L (last Friday); for the last day of the month put L in day-of-month (field 5)" },

        // Macros, grids and one-shots.
        { "@reboot", "invalid schedule \"@reboot\": unknown macro (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)" },
        { "every 0s", "invalid schedule \"every 0s\": the period 0s is shorter than the minimum of 1s" },
        { "2026-13-01T00:00:00Z", "invalid schedule \"2026-13-01T00:00:00Z\": not a valid ISO-8601 date-time (e.g. 2026-12-01T09:00:00+01:00)" },
        { "at 2026-13-01T09:00:00Z", "invalid schedule \"at 2026-13-01T09:00:00Z\": not a valid ISO-8601 date-time (e.g. 2026-12-01T09:00:00+01:00)" },
        { "at 2026-12-01T25:00:00", "invalid schedule \"at 2026-12-01T25:00:00\": not a valid ISO-8601 date-time (e.g. 2026-12-01T09:00:00+01:00)" },

        // Phrases.
        { "nonsense words", "invalid schedule \"nonsense words\": cannot read \"nonsense\"; phrases look like \"hourly\", \"daily at 22:00\", \"weekdays at 9am\", \"every monday at 09:30\", \"every 15 minutes\"" },
        { "at tomorrow", "invalid schedule \"at tomorrow\": \"tomorrow\" is not a time (write 22:00, 9am, 9:30pm, noon or midnight)" },
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public void Parse_BadSchedule_ThrowsWithOneLineMessage(string text, string expected)
    {
        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(text, TimeZoneInfo.Utc));

        Assert.Equal(expected, error.Message);
        Assert.Equal(text, error.Text);
    }

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public void TryParse_BadSchedule_ReturnsTheSameMessage(string text, string expected)
    {
        var parsed = Schedule.TryParse(text, TimeZoneInfo.Utc, out var schedule, out var error);

        Assert.False(parsed);
        Assert.Null(schedule);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("0\n0 * * *")]
    [InlineData("0 0 * * MON\r\nx")]
    [InlineData("every\n5 minutes")]
    [InlineData("0 0 \u0001 * *")]
    public void Parse_TextWithControlCharacters_MessageStaysOnOneLine(string text)
    {
        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(text, TimeZoneInfo.Utc));

        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
        Assert.All(error.Message, c => Assert.False(char.IsControl(c) && c != '\t', $"control character U+{(int)c:X4} in \"{error.Message}\""));
    }

    // A local date-time at either end of the calendar can name an instant outside DateTimeOffset's
    // range once the zone's offset is applied; that used to escape as ArgumentOutOfRangeException.
    [Theory]
    [InlineData("at 9999-12-31T23:00:00", "America/New_York")]
    [InlineData("9999-12-31T23:59:59", "Etc/GMT+12")]
    [InlineData("at 0001-01-01T00:00:00", "Asia/Tokyo")]
    [InlineData("0001-01-01T00:00:00", "Pacific/Kiritimati")]
    public void Parse_OneShotOutsideTheRepresentableRange_ThrowsScheduleFormatException(string text, string zoneId)
    {
        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(text, TimeZones.Find(zoneId)));

        Assert.Equal($"invalid schedule \"{text}\": not a valid ISO-8601 date-time (e.g. 2026-12-01T09:00:00+01:00)", error.Message);
    }

    [Fact]
    public void Parse_TextWithNewline_EscapesItInTheMessage()
    {
        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse("0 22\n * * *", TimeZoneInfo.Utc));

        Assert.Equal("invalid schedule \"0 22\\n * * *\": hour \"22\\n\" is not a number (field 2)", error.Message);
        Assert.Equal("0 22\n * * *", error.Text);
    }

    // A range in the hour field puts a dash at the fifth character, as in an ISO date
    // (2026-...); such expressions were once routed to the one-shot parser and rejected.
    [Theory]
    [InlineData("0 10-18 * * *")]
    [InlineData("30 1-3 * * *")]
    [InlineData("0 23-1 * * *")]
    [InlineData("15 0-6/2 * * 1-5")]
    public void Parse_CronWithDashAtFifthCharacter_IsCron(string text)
    {
        var schedule = Schedule.Parse(text, TimeZoneInfo.Utc);

        Assert.Equal(ScheduleKind.Cron, schedule.Kind);
        Assert.Equal(text, schedule.Expression);
    }
}
