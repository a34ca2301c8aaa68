using Vigil.Scheduling;

namespace Vigil.Core.Tests.Scheduling;

/// <summary>Phrases compile to cron; the compiled expression is what is stored and shown back.</summary>
public class PhraseCompilerTests
{
    [Theory]
    [InlineData("hourly", "0 * * * *")]
    [InlineData("Hourly at :15", "15 * * * *")]
    [InlineData("daily", "0 0 * * *")]
    [InlineData("nightly at 2am", "0 2 * * *")]
    [InlineData("daily at 22:00", "0 22 * * *")]
    [InlineData("every day at 7:05", "5 7 * * *")]
    [InlineData("at 22:00", "0 22 * * *")]
    [InlineData("22:00", "0 22 * * *")]
    [InlineData("daily at noon", "0 12 * * *")]
    [InlineData("daily at midnight", "0 0 * * *")]
    [InlineData("daily at 9:00 and 17:00", "0 9,17 * * *")]
    [InlineData("daily at 9:00, 9:30, 17:00 and 17:30", "0,30 9,17 * * *")]
    [InlineData("weekdays at 9am", "0 9 * * 1-5")]
    [InlineData("every weekday at 9 am", "0 9 * * 1-5")]
    [InlineData("weekends at 10:30", "30 10 * * 0,6")]
    [InlineData("every monday at 09:30", "30 9 * * 1")]
    [InlineData("mondays at 9:30pm", "30 21 * * 1")]
    [InlineData("every mon, wed and fri at 8pm", "0 20 * * 1,3,5")]
    [InlineData("monday through friday at 12am", "0 0 * * 1-5")]
    [InlineData("mon-fri at 6:45am", "45 6 * * 1-5")]
    [InlineData("every 15 minutes", "*/15 * * * *")]
    [InlineData("every 15 minutes on weekdays", "*/15 * * * 1-5")]
    [InlineData("every minute", "* * * * *")]
    [InlineData("every hour", "0 * * * *")]
    [InlineData("every 2 hours", "0 */2 * * *")]
    [InlineData("every 6 hours at :30", "30 */6 * * *")]
    [InlineData("every 10 seconds", "*/10 * * * * *")]
    [InlineData("weekly", "0 0 * * 0")]
    [InlineData("weekly on friday at 17:00", "0 17 * * 5")]
    [InlineData("monthly", "0 0 1 * *")]
    [InlineData("monthly on the 15th at 08:00", "0 8 15 * *")]
    [InlineData("on the last day of the month at 23:00", "0 23 L * *")]
    [InlineData("on the last weekday of the month at 18:00", "0 18 LW * *")]
    [InlineData("last friday of the month at 16:00", "0 16 * * 5L")]
    [InlineData("first monday of the month at 9am", "0 9 * * 1#1")]
    [InlineData("2nd tuesday of the month at 10:00", "0 10 * * 2#2")]
    [InlineData("yearly", "0 0 1 1 *")]
    [InlineData("every day in january and july at 6am", "0 6 * 1,7 *")]
    public void Compile_Phrase_GivesCron(string phrase, string expected)
    {
        var schedule = Schedule.Parse(phrase, TimeZoneInfo.Utc);

        Assert.Equal(ScheduleKind.Cron, schedule.Kind);
        Assert.Equal(expected, schedule.Expression);
        Assert.Equal(phrase, schedule.Text);
    }

    [Theory]
    [InlineData("every 45 minutes", "every 45 minutes does not divide an hour evenly, so cron cannot express it; use \"every 45m\" (every: 45m) for a fixed grid")]
    [InlineData("every 5 hours", "every 5 hours does not divide a day evenly, so cron cannot express it; use \"every 5h\" (every: 5h) for a fixed grid")]
    [InlineData("every 3 days", "every 3 days cannot be expressed in cron; use every: 3d for a fixed grid")]
    [InlineData("daily at 9:00 and 17:30", "these times cannot be one cron expression (each hour must share the same minutes); declare one job per time")]
    [InlineData("daily at 25:00", "hour 25 is outside 0-23 in \"25:00\"")]
    [InlineData("daily at 13pm", "hour 13 is outside 1-12 in \"13pm\"")]
    [InlineData("at teatime", "\"teatime\" is not a time (write 22:00, 9am, 9:30pm, noon or midnight)")]
    [InlineData("every 15 minutes at 9am", "\"every N minutes\" does not take a time of day")]
    [InlineData("whenever", "cannot read \"whenever\"; phrases look like \"hourly\", \"daily at 22:00\", \"weekdays at 9am\", \"every monday at 09:30\", \"every 15 minutes\"")]
    public void Compile_UnexpressiblePhrase_SaysWhatToWriteInstead(string phrase, string reason)
    {
        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(phrase, TimeZoneInfo.Utc));

        Assert.Equal($"invalid schedule \"{phrase}\": {reason}", error.Message);
    }

    [Fact]
    public void Parse_CompactEveryDuration_IsAFixedGridNotCron()
    {
        var grid = Schedule.Parse("every 15m", TimeZoneInfo.Utc);
        var cron = Schedule.Parse("every 15 minutes", TimeZoneInfo.Utc);

        Assert.Equal(ScheduleKind.Every, grid.Kind);
        Assert.Equal("every 15m", grid.Expression);
        Assert.Equal(ScheduleKind.Cron, cron.Kind);
    }

    [Theory]
    [InlineData("*/x * * * *", "step \"x\" in minute \"*/x\" is not a number (field 1)")]
    [InlineData("every 5x", "\"5x\" has an unknown unit \"x\" (use ms, s, m, h or d)")]
    [InlineData("every 100000000d", "\"100000000d\" is too large")]
    public void Parse_CronOrDurationLookalike_ReportsTheCronOrDurationError(string text, string reason)
    {
        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(text, TimeZoneInfo.Utc));

        Assert.Equal($"invalid schedule \"{text}\": {reason}", error.Message);
    }
}
