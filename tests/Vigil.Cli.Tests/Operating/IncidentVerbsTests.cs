using System.Text.Json;

namespace Vigil.Cli.Tests.Operating;

/// <summary><c>vigil incidents list|ack</c> and <c>vigil doctor</c> against a real daemon's ledger.</summary>
public sealed class IncidentVerbsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string Config = """
        data_dir: ./data
        timezone: UTC
        drain_timeout: 1s
        jobs:
          broken:
            every: 1s
            alert_after_failures: 2
            run: { command: ["sh", "-c", "exit 7"] }
          fine:
            schedule: "@daily"
            run: { command: ["true"] }
        """;

    private readonly VigilHome _home = new(Config);

    public void Dispose() => _home.Dispose();

    private async Task<JsonElement> WaitForIncidentAsync()
    {
        var list = await VigilHome.WaitForAsync(
            async () =>
            {
                var incidents = await _home.JsonAsync("incidents", "list");
                return incidents.GetArrayLength() > 0 ? new[] { incidents[0] } : null;
            },
            Patience,
            "a failed_streak incident");
        return list[0];
    }

    [Fact]
    public async Task IncidentsAndDoctor_DaemonWithAFailingJob_ListAckAndHealthVerdicts()
    {
        await using var daemon = _home.StartDaemon();
        var incident = await WaitForIncidentAsync();

        Assert.Equal(
            ["id", "job", "node", "kind", "state", "count", "first_at", "last_at", "acknowledged_at", "resolved_at", "detail", "resolution", "run_id"],
            incident.EnumerateObject().Select(p => p.Name));
        Assert.Equal("broken", incident.GetProperty("job").GetString());
        Assert.Equal("failed_streak", incident.GetProperty("kind").GetString());
        Assert.Equal("open", incident.GetProperty("state").GetString());
        Assert.Matches(@"^\d+ runs in a row did not succeed; last: run \d+ \(slot [^)]+\) failed: exit code 7", incident.GetProperty("detail").GetString());
        var id = incident.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var text = await _home.RunAsync("incidents", "list");
        Assert.StartsWith("ID ", text.StdoutLines[0], StringComparison.Ordinal);
        Assert.Contains(text.StdoutLines, l => l.Contains("failed_streak", StringComparison.Ordinal) && l.Contains("broken", StringComparison.Ordinal));
        Assert.Equal(1, Contract.Job(await _home.JsonAsync("jobs", "list"), "broken").GetProperty("incidents").GetInt32());
        Assert.Equal(0, Contract.Job(await _home.JsonAsync("jobs", "list"), "fine").GetProperty("incidents").GetInt32());

        var sick = await _home.RunAsync("doctor", "--json");
        using (var verdict = JsonDocument.Parse(sick.Stdout))
        {
            Assert.Equal(4, sick.ExitCode);
            Assert.False(verdict.RootElement.GetProperty("healthy").GetBoolean());
            var checks = verdict.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
            Assert.Equal("fail", checks["incidents"]);
            Assert.Equal("ok", checks["ledger"]);
            Assert.Equal("ok", checks["clock"]);
            Assert.Equal("ok", checks["past_due"]);
            Assert.NotEqual("fail", checks["daemon"]);
        }

        var ack = await _home.RunAsync("incidents", "ack", id, "--json");
        Assert.Equal(0, ack.ExitCode);
        using (var acked = JsonDocument.Parse(ack.Stdout))
        {
            Assert.Equal("acknowledged", acked.RootElement.GetProperty("state").GetString());
            Assert.NotEqual(JsonValueKind.Null, acked.RootElement.GetProperty("acknowledged_at").ValueKind);
        }

        var again = await _home.RunAsync("incidents", "ack", id);
        Assert.Equal(2, again.ExitCode);
        Assert.Equal([$"vigil: incident {id} is acknowledged; only an open incident can be acknowledged"], again.StderrLines);

        // Acknowledged: still listed, no longer a failure; the daemon's loop is fresh.
        var healthy = await VigilHome.WaitForAsync(
            async () =>
            {
                var result = await _home.RunAsync("doctor");
                return result.ExitCode == 0 ? result : null;
            },
            Patience,
            "doctor healthy once the daemon wrote its health file");
        Assert.Equal("healthy", healthy.StdoutLines[^1]);
        Assert.Contains(healthy.StdoutLines, l => l.StartsWith("daemon ", StringComparison.Ordinal) && l.Contains("loops fresh", StringComparison.Ordinal));
        Assert.Contains(healthy.StdoutLines, l => l.StartsWith("incidents ", StringComparison.Ordinal) && l.Contains("WARN", StringComparison.Ordinal));

        Assert.Equal(0, (await _home.RunAsync("drain", "--wait")).ExitCode);
        await daemon.WaitForExitAsync(Patience);
        var down = await _home.RunAsync("doctor");
        Assert.Equal(4, down.ExitCode);
        Assert.Contains(down.StdoutLines, l => l.StartsWith("daemon ", StringComparison.Ordinal) && l.Contains("no daemon is running", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("invalid incident id \"abc\": expected a positive whole number", "incidents", "ack", "abc")]
    [InlineData("no incident 99", "incidents", "ack", "99")]
    [InlineData("invalid --state \"bogus\": expected one of open, acknowledged, resolved", "incidents", "list", "--state", "bogus")]
    [InlineData("--limit must be between 1 and 10000 (got 0)", "incidents", "list", "--limit", "0")]
    public async Task Incidents_BadInput_ExitsTwoWithOneLine(string message, params string[] args)
    {
        var result = await _home.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["vigil: " + message], result.StderrLines);
    }

    [Fact]
    public async Task IncidentsList_NoneYet_SaysSo()
    {
        var result = await _home.RunAsync("incidents", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["no open incidents"], result.StdoutLines);
        Assert.Equal(0, (await _home.JsonAsync("incidents", "list", "--all")).GetArrayLength());
    }
}
