namespace Vigil.Cli.Tests;

public class VigilCliTests
{
    [Theory]
    [InlineData("invalid schedule \"0 25 * * *\"", "schedule", "next", "0 25 * * *", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("invalid schedule \"every day at noonish\"", "schedule", "explain", "every day at noonish", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("unknown time zone \"Mars/Base\"", "schedule", "next", "@daily", "--tz", "Mars/Base", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("unknown time zone \"Mars/Base\"", "schedule", "explain", "@daily", "--tz", "Mars/Base", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("invalid --from \"yesterday\"", "schedule", "next", "@daily", "--tz", "UTC", "--from", "yesterday")]
    [InlineData("invalid --from \"2026-13-01\"", "schedule", "explain", "@daily", "--tz", "UTC", "--from", "2026-13-01")]
    [InlineData("invalid --anchor \"soon\"", "schedule", "next", "every 1h", "--tz", "UTC", "--anchor", "soon", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("-n must be between 1 and 1000 (got 0)", "schedule", "next", "@daily", "-n", "0", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("-n must be between 1 and 1000 (got 1001)", "schedule", "next", "@daily", "-n", "1001", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("Cannot parse argument 'five'", "schedule", "next", "@daily", "-n", "five", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("Unrecognized command or argument '--bogus'", "schedule", "next", "@daily", "--bogus", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("missing EXPR", "schedule", "next", "--from", "2026-01-01T00:00:00Z")]
    [InlineData("--batch reads every request from stdin", "schedule", "next", "@daily", "--batch")]
    [InlineData("--batch reads every request from stdin", "schedule", "next", "--batch", "--tz", "UTC")]
    [InlineData("Required command was not provided", "schedule")]
    public async Task Vigil_BadInput_ExitsTwoWithOneStderrLineAndNoStackTrace(string expected, params string[] args)
    {
        var result = await VigilProcess.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("vigil: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Vigil_Help_DescribesTheProgramAndItsVerbs()
    {
        var result = await VigilProcess.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Vigil: a durable scheduler and run supervisor", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("schedule", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleNext_Help_DocumentsZoneDefaultAndBatch()
    {
        var result = await VigilProcess.RunAsync("schedule", "next", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("$TZ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("host's local zone", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--batch", result.Stdout, StringComparison.Ordinal);
    }
}
