using System.Text.Json;

namespace Vigil.Cli.Tests;

public class ScheduleNextCommandTests
{
    [Fact]
    public async Task Next_DailyTimeInsideBerlinSpringGap_FiresAtEndOfGap()
    {
        // Europe/Berlin, 2026-03-29: 02:00 +01:00 jumps to 03:00 +02:00, so 02:30 never happens.
        //   local  01:59 +01:00 | 02:00 .. 02:59 (gap) | 03:00 +02:00
        //   UTC    00:59        |                      | 01:00
        // A fixed 02:30 fires once, at the first instant after the gap.
        var result = await VigilProcess.RunAsync(
            "schedule", "next", "0 30 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-03-28T12:00:00Z", "-n", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "2026-03-29T01:00:00Z  2026-03-29T03:00:00+02:00  Sun",
                "2026-03-30T00:30:00Z  2026-03-30T02:30:00+02:00  Mon",
                "2026-03-31T00:30:00Z  2026-03-31T02:30:00+02:00  Tue",
            ],
            result.StdoutLines);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Next_Json_PrintsOneObjectWithExprCompiledTimezoneAndNext()
    {
        var result = await VigilProcess.RunAsync(
            "schedule", "next", "daily at 22:00", "--tz", "Europe/Berlin", "--from", "2026-03-28T12:00:00Z", "-n", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.StdoutLines);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(["expr", "compiled", "timezone", "next"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("daily at 22:00", root.GetProperty("expr").GetString());
        Assert.Equal("0 22 * * *", root.GetProperty("compiled").GetString());
        Assert.Equal("Europe/Berlin", root.GetProperty("timezone").GetString());
        Assert.Equal(
            ["2026-03-28T21:00:00Z", "2026-03-29T20:00:00Z"],
            root.GetProperty("next").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Next_FromOnAFire_ListsOnlyLaterFires()
    {
        var result = await VigilProcess.RunAsync(
            "schedule", "next", "@hourly", "--tz", "UTC", "--from", "2026-01-01T09:00:00Z", "-n", "1", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"next\":[\"2026-01-01T10:00:00Z\"]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_MacroStartingWithAt_IsASchedule()
    {
        // "@daily" must not be read as a response file named "daily".
        var result = await VigilProcess.RunAsync("schedule", "next", "@daily", "--tz", "UTC", "--from", "2026-01-01T00:00:00Z", "-n", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("2026-01-02T00:00:00Z", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_EveryWithAnchor_FiresOnTheAnchoredGrid()
    {
        var result = await VigilProcess.RunAsync(
            "schedule", "next", "every 45m", "--tz", "UTC", "--anchor", "2026-01-01T00:10:00Z", "--from", "2026-01-01T00:00:00Z", "-n", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"next\":[\"2026-01-01T00:10:00Z\",\"2026-01-01T00:55:00Z\"]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_NoTzOption_UsesTzEnvironmentVariable()
    {
        var environment = new Dictionary<string, string> { ["TZ"] = "Asia/Tokyo" };

        var result = await VigilProcess.RunWithEnvironmentAsync(
            environment, "schedule", "next", "@daily", "--from", "2026-01-01T00:00:00Z", "-n", "1", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"timezone\":\"Asia/Tokyo\"", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"next\":[\"2026-01-01T15:00:00Z\"]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_TzOption_WinsOverTzEnvironmentVariable()
    {
        var environment = new Dictionary<string, string> { ["TZ"] = "Asia/Tokyo" };

        var result = await VigilProcess.RunWithEnvironmentAsync(
            environment, "schedule", "next", "@daily", "--tz", "America/New_York", "--from", "2026-01-01T00:00:00Z", "-n", "1", "--json");

        Assert.Contains("\"timezone\":\"America/New_York\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_OneShotInThePast_SaysThereAreNoFires()
    {
        var result = await VigilProcess.RunAsync(
            "schedule", "next", "at 2026-01-01T00:00:00Z", "--tz", "UTC", "--from", "2026-06-01T00:00:00Z");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["no fires after 2026-06-01T00:00:00Z"], result.StdoutLines);
    }
}
