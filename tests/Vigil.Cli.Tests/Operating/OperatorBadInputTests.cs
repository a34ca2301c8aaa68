namespace Vigil.Cli.Tests.Operating;

/// <summary>Bad input to the operator verbs: exit code 2, exactly one line on stderr, nothing on stdout.</summary>
public sealed class OperatorBadInputTests : IClassFixture<OperatorBadInputTests.Home>
{
    private readonly VigilHome _home;

    public OperatorBadInputTests(Home home) => _home = home.Value;

    [Theory]
    [InlineData("no job named \"nope\"", "jobs", "show", "nope")]
    [InlineData("no job named \"nope\"", "jobs", "pause", "nope")]
    [InlineData("no job named \"nope\"", "runs", "list", "--job", "nope")]
    [InlineData("no run with id 4242", "runs", "show", "4242")]
    [InlineData("no run with id 4242", "runs", "retry", "4242")]
    [InlineData("invalid run id \"abc\"", "runs", "show", "abc")]
    [InlineData("invalid --state \"done\": expected one of pending, running, succeeded, failed, timed_out, cancelled, interrupted, skipped, missed", "runs", "list", "--state", "done")]
    [InlineData("invalid --since \"yesterday\"", "runs", "list", "--since", "yesterday")]
    [InlineData("--limit must be between 1 and 10000 (got 0)", "runs", "list", "--limit", "0")]
    [InlineData("invalid schedule \"0 25 * * *\": hour 25 is outside 0-23", "jobs", "add", "x", "--schedule", "0 25 * * *", "--shell", "true")]
    [InlineData("--tz: unknown time zone \"Mars/Base\"", "jobs", "add", "x", "--schedule", "@daily", "--tz", "Mars/Base", "--shell", "true")]
    [InlineData("--timeout: \"5x\" has an unknown unit \"x\"", "jobs", "add", "x", "--schedule", "@daily", "--timeout", "5x", "--shell", "true")]
    [InlineData("--on-interrupt: \"never\" is not one of retry, record", "jobs", "add", "x", "--schedule", "@daily", "--on-interrupt", "never", "--shell", "true")]
    [InlineData("--overlap: \"merge\" is not one of skip, queue, allow, replace", "jobs", "add", "x", "--schedule", "@daily", "--overlap", "merge", "--shell", "true")]
    [InlineData("--on-stop: \"pause\" is not one of detach, drain", "jobs", "add", "x", "--schedule", "@daily", "--on-stop", "pause", "--shell", "true")]
    [InlineData("--on-stop: detach applies to command actions only; http actions always drain", "jobs", "add", "x", "--schedule", "@daily", "--on-stop", "detach", "--http-url", "http://127.0.0.1:9/")]
    [InlineData("--http-url: \"ftp://example.org\" is not an absolute http:// or https:// URL", "jobs", "add", "x", "--schedule", "@daily", "--http-url", "ftp://example.org")]
    [InlineData("missing the action", "jobs", "add", "x", "--schedule", "@daily")]
    [InlineData("missing --schedule", "jobs", "add", "x", "--shell", "true")]
    [InlineData("give one action", "jobs", "add", "x", "--schedule", "@daily", "--shell", "true", "--http-url", "http://127.0.0.1:9/")]
    [InlineData("job name \"bad name\" is not valid", "jobs", "add", "bad name", "--schedule", "@daily", "--shell", "true")]
    [InlineData("nothing to change", "jobs", "edit", "declared")]
    [InlineData("is declared in", "jobs", "pause", "declared")]
    [InlineData("--timeout: must be greater than 0", "drain", "--wait", "--timeout", "0s")]
    public async Task OperatorVerb_BadInput_ExitsTwoWithOneStderrLine(string expected, params string[] args)
    {
        var result = await _home.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("vigil: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task JobsList_Help_SaysTimesAreUtc()
    {
        var result = await _home.RunAsync("jobs", "list", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Times are UTC", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>One config (with one job the daemon never applied) for every case.</summary>
    public sealed class Home : IDisposable
    {
        public VigilHome Value { get; } = new("""
            data_dir: ./data
            timezone: UTC
            jobs:
              declared:
                schedule: "@hourly"
                run: { command: ["true"] }
            """);

        public void Dispose() => Value.Dispose();
    }
}
