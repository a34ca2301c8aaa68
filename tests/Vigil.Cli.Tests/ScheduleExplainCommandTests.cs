using System.Text.Json;

namespace Vigil.Cli.Tests;

public class ScheduleExplainCommandTests
{
    [Fact]
    public async Task Explain_WeekdaysAt9am_ShowsCompiledCronMeaningAndFiresInZoneAndUtc()
    {
        var result = await VigilProcess.RunAsync(
            "schedule", "explain", "weekdays at 9am", "--tz", "America/New_York", "--from", "2026-03-06T12:00:00Z");

        Assert.Equal(0, result.ExitCode);
        var lines = result.StdoutLines;
        Assert.Contains("compiled:   0 9 * * 1-5", lines);
        Assert.Contains("kind:       cron", lines);
        Assert.Contains("meaning:    at 09:00 Monday through Friday", lines);
        Assert.Contains("time zone:  America/New_York", lines);
        // New York springs forward on 2026-03-08: 09:00 is 14:00Z before it and 13:00Z after.
        Assert.Contains("  Fri 2026-03-06T09:00:00-05:00  2026-03-06T14:00:00Z", lines);
        Assert.Contains("  Mon 2026-03-09T09:00:00-04:00  2026-03-09T13:00:00Z", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("warning:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Explain_FixedTimeInsideSpringGap_WarnsItDoesNotExist()
    {
        // Europe/Berlin, 2026-03-29: 02:00 +01:00 jumps to 03:00 +02:00.
        var result = await VigilProcess.RunAsync(
            "schedule", "explain", "30 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-03-28T12:00:00Z");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(
            "warning: 2026-03-29 02:30 does not exist in Europe/Berlin (clocks spring forward); fires at 03:00 +02:00 instead",
            result.StdoutLines);
    }

    [Fact]
    public async Task Explain_FixedTimeInsideRepeatedHour_WarnsFirstPassOnly()
    {
        // Europe/Berlin, 2026-10-25: 03:00 +02:00 falls back to 02:00 +01:00, so 02:00-02:59 happens twice.
        var result = await VigilProcess.RunAsync(
            "schedule", "explain", "30 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-10-24T12:00:00Z");

        Assert.Equal(0, result.ExitCode);
        var warning = Assert.Single(result.StdoutLines, line => line.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Equal(
            "warning: 02:30 occurs twice on 2026-10-25 in Europe/Berlin (clocks fall back); fires on the first pass only, at 02:30 +02:00",
            warning);
    }

    [Fact]
    public async Task Explain_HourlyThroughRepeatedHour_WarnsAboutBothPasses()
    {
        var result = await VigilProcess.RunAsync(
            "schedule", "explain", "30 * * * *", "--tz", "Europe/Berlin", "--from", "2026-10-24T23:00:00Z");

        Assert.Equal(0, result.ExitCode);
        var warnings = result.StdoutLines.Where(line => line.StartsWith("warning:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, warnings.Length);
        Assert.Contains("fires on both passes, at 02:30 +02:00 and again at 02:30 +01:00", warnings[0], StringComparison.Ordinal);
        Assert.Contains("2026-10-25 02:30 +01:00 is the second pass", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Json_ListsFiresWithDstNotesAndWarnings()
    {
        var result = await VigilProcess.RunAsync(
            "schedule", "explain", "*/15 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-03-28T12:00:00Z", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(result.StdoutLines));
        var root = json.RootElement;
        Assert.Equal("*/15 2 * * *", root.GetProperty("compiled").GetString());
        Assert.Equal("cron", root.GetProperty("kind").GetString());
        Assert.Equal("2026-03-28T12:00:00Z", root.GetProperty("from").GetString());
        var first = root.GetProperty("next")[0];
        Assert.Equal("2026-03-29T01:00:00Z", first.GetProperty("utc").GetString());
        Assert.Equal("2026-03-29T03:00:00+02:00", first.GetProperty("local").GetString());
        Assert.Equal("shifted_from_gap", first.GetProperty("dst").GetString());
        Assert.Equal(5, root.GetProperty("next").GetArrayLength());
        Assert.Equal(
            "2026-03-29 02:00 to 02:45 (4 times) do not exist in Europe/Berlin (clocks spring forward); fires once at 03:00 +02:00 instead",
            Assert.Single(root.GetProperty("warnings").EnumerateArray()).GetString());
    }
}
