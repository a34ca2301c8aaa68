using System.Globalization;
using Vigil.Scheduling;

namespace Vigil.Core.Tests.Scheduling;

public class ScheduleParserTests
{
    // Regression: a cron expression whose fifth character is a dash was taken for an ISO date
    // ("2026-12-01...") and rejected as "not a valid ISO-8601 date-time". Found by the Quartz
    // differential tests.
    [Theory]
    [InlineData("0 22-23 * * *", "2026-03-02T21:00:00Z", "2026-03-02T22:00:00Z")]
    [InlineData("0 50-10/5 * * * *", "2026-03-02T21:00:00Z", "2026-03-02T21:05:00Z")]
    [InlineData("5,32-12,16 */21 LW * ?", "2026-03-02T21:00:00Z", "2026-03-31T00:00:00Z")]
    [InlineData("36,3-50/39 45-48 9-23 ? JAN *", "2026-03-02T21:00:00Z", "2027-01-01T09:45:03Z")]
    public void Parse_CronWithDashAtFifthCharacter_IsCron(string text, string from, string expected)
    {
        var schedule = Schedule.Parse(text, TimeZoneInfo.Utc);

        Assert.Equal(ScheduleKind.Cron, schedule.Kind);
        Assert.Equal(At(expected), schedule.GetNextOccurrence(At(from)));
    }

    [Fact]
    public void Parse_IsoDateTime_IsOneShot()
    {
        var schedule = Schedule.Parse("2026-12-01T09:00:00+01:00", TimeZoneInfo.Utc);

        Assert.Equal(ScheduleKind.At, schedule.Kind);
        Assert.Equal(At("2026-12-01T08:00:00Z"), schedule.GetNextOccurrence(At("2026-11-30T00:00:00Z")));
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
