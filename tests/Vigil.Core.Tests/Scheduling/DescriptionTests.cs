using Vigil.Scheduling;

namespace Vigil.Core.Tests.Scheduling;

public class DescriptionTests
{
    [Theory]
    [InlineData("0 22 * * *", "at 22:00 every day")]
    [InlineData("*/15 * * * *", "every 15 minutes")]
    [InlineData("* * * * *", "every minute")]
    [InlineData("5 * * * *", "at minute 5 past every hour")]
    [InlineData("0 9 * * 1-5", "at 09:00 Monday through Friday")]
    [InlineData("30 9 * * MON", "at 09:30 on Monday")]
    [InlineData("0 0 L * *", "at 00:00 on the last day of the month")]
    [InlineData("0 0 * * 5L", "at 00:00 on the last Friday of the month")]
    [InlineData("0 0 * * 6#3", "at 00:00 on the third Saturday of the month")]
    [InlineData("0 0 15W * *", "at 00:00 on the weekday nearest day 15 of the month")]
    [InlineData("0 0 13 * 5", "at 00:00 on day 13 of the month or on Friday")]
    [InlineData("0 9,17 * * *", "at 09:00 and 17:00")]
    [InlineData("*/5 9-17 * * 1-5", "every 5 minutes, between 09:00 and 17:59 Monday through Friday")]
    [InlineData("0 0 1 1 *", "at 00:00 on day 1 of the month in January")]
    [InlineData("*/10 * * * * *", "every 10 seconds")]
    public void Describe_Expression_ReadsAsPlainLanguage(string expression, string expected)
    {
        Assert.Equal(expected, Schedule.Parse(expression, TimeZoneInfo.Utc).Describe());
    }

    [Theory]
    [InlineData("0 22 * * *", 24 * 60)]
    [InlineData("*/15 * * * *", 15)]
    [InlineData("0 * * * *", 60)]
    [InlineData("0 9 * * 1-5", 24 * 60)]
    [InlineData("every 45m", 45)]
    public void NominalPeriod_Schedule_IsTheTypicalDistanceBetweenFires(string text, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), Schedule.Parse(text, TimeZoneInfo.Utc).NominalPeriod);
    }

    [Fact]
    public void NominalPeriod_OneShot_IsNull()
    {
        Assert.Null(Schedule.Parse("at 2026-12-01T09:00:00+01:00", TimeZoneInfo.Utc).NominalPeriod);
    }
}
