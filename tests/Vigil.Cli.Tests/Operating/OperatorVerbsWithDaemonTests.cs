using System.Globalization;
using System.Text.Json;

namespace Vigil.Cli.Tests.Operating;

/// <summary>
/// The jobs, runs and drain verbs against a ledger a real <c>vigil run</c> wrote (see
/// <see cref="DaemonRunFixture"/>), read and changed without the daemon.
/// </summary>
public sealed class OperatorVerbsWithDaemonTests(DaemonRunFixture fixture) : IClassFixture<DaemonRunFixture>
{
    private readonly VigilHome _home = fixture.Home;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void JobsList_BeforeTheDaemonApplied_ListsTheConfigJobsAsNotApplied()
    {
        var jobs = fixture.JobsBeforeApply;

        Assert.Equal(["boom", "nightly"], jobs.EnumerateArray().Select(j => j.GetProperty("name").GetString()));
        foreach (var job in jobs.EnumerateArray())
        {
            Contract.AssertHasFields(job, Contract.JobFields);
            Assert.False(job.GetProperty("applied").GetBoolean());
            Assert.Equal("add", job.GetProperty("config_pending").GetString());
            Assert.True(job.GetProperty("enabled").GetBoolean());
            Assert.Equal(JsonValueKind.Null, job.GetProperty("last_run").ValueKind);
        }

        var nightly = Contract.Job(jobs, "nightly");
        Assert.Equal("0 22 * * *", nightly.GetProperty("schedule").GetString());
        Assert.Equal("Europe/Berlin", nightly.GetProperty("timezone").GetString());
        Assert.EndsWith(":00:00Z", nightly.GetProperty("next_slot").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsList_AfterTheDaemonRan_ShowsTheLastRunWithContractFields()
    {
        var jobs = await _home.JsonAsync("jobs", "list");

        var boom = Contract.Job(jobs, "boom");
        Contract.AssertHasFields(boom, Contract.JobFields);
        Assert.True(boom.GetProperty("applied").GetBoolean());
        Assert.Equal("config", boom.GetProperty("source").GetString());
        Assert.Equal("every 1s", boom.GetProperty("schedule").GetString());
        Assert.NotEqual(JsonValueKind.Null, boom.GetProperty("next_slot").ValueKind);
        var lastRun = boom.GetProperty("last_run");
        Contract.AssertHasFields(lastRun, Contract.RunFields);
        Assert.Equal("failed", lastRun.GetProperty("state").GetString());
        Assert.Equal(3, lastRun.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task JobsList_Text_IsAnAlignedTableWithTheLastState()
    {
        var result = await _home.RunAsync("jobs", "list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.StdoutLines;
        Assert.StartsWith("NAME ", lines[0], StringComparison.Ordinal);
        var boom = Assert.Single(lines, l => l.StartsWith("boom ", StringComparison.Ordinal));
        Assert.Contains("every 1s", boom, StringComparison.Ordinal);
        Assert.Matches(@" failed +\d+$", boom);
        Assert.EndsWith(" INCIDENTS", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines[0].IndexOf("STATE", StringComparison.Ordinal), boom.IndexOf("enabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Trigger_PausedJobWhileTheDaemonRuns_TheDaemonRunsItAsAManualRun()
    {
        var paused = Contract.Job(fixture.JobsWhilePaused, "nightly");
        var run = await _home.JsonAsync("runs", "show", Id(fixture.ManualRunId));
        var logs = await _home.RunAsync("runs", "logs", Id(fixture.ManualRunId));

        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.False(paused.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("next_slot").ValueKind);
        Assert.Equal("succeeded", run.GetProperty("state").GetString());
        Assert.Equal("manual", run.GetProperty("trigger").GetString());
        Assert.Equal("nightly", run.GetProperty("job").GetString());
        Assert.Equal("hello from nightly\n", logs.Stdout);
    }

    [Fact]
    public async Task RunsList_Json_UsesTheContractFieldNamesNewestFirst()
    {
        var runs = await _home.JsonAsync("runs", "list");

        Assert.True(runs.GetArrayLength() >= 3);
        foreach (var run in runs.EnumerateArray())
        {
            Contract.AssertHasFields(run, Contract.RunFields);
            Assert.EndsWith("Z", run.GetProperty("slot").GetString(), StringComparison.Ordinal);
        }

        var ids = runs.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Fact]
    public async Task RunsList_Filters_ByJobStateSinceAndLimit()
    {
        var nightly = await _home.JsonAsync("runs", "list", "--job", "nightly");
        var failed = await _home.JsonAsync("runs", "list", "--state", "failed");
        var lastHour = await _home.JsonAsync("runs", "list", "--since", "1h");
        var future = await _home.JsonAsync("runs", "list", "--since", "2999-01-01T00:00:00Z");
        var one = await _home.JsonAsync("runs", "list", "--limit", "1");

        Assert.All(nightly.EnumerateArray(), r => Assert.Equal("nightly", r.GetProperty("job").GetString()));
        Assert.Contains(nightly.EnumerateArray(), r => r.GetProperty("id").GetInt64() == fixture.ManualRunId);
        Assert.True(failed.GetArrayLength() >= 2);
        Assert.All(failed.EnumerateArray(), r => Assert.Equal("failed", r.GetProperty("state").GetString()));
        Assert.True(lastHour.GetArrayLength() >= 3);
        Assert.Equal(0, future.GetArrayLength());
        Assert.Equal(1, one.GetArrayLength());
    }

    [Fact]
    public async Task RunsShowAndLogs_FailedRun_ShowReasonAttemptsAndOutput()
    {
        var id = fixture.FailedRunIds[^1];

        var run = await _home.JsonAsync("runs", "show", Id(id));
        var text = await _home.RunAsync("runs", "show", Id(id));
        var logs = await _home.RunAsync("runs", "logs", Id(id));

        Contract.AssertHasFields(run, Contract.RunFields);
        Assert.Equal("failed", run.GetProperty("state").GetString());
        Assert.Equal("exit code 3", run.GetProperty("reason").GetString());
        Assert.Equal(3, run.GetProperty("exit_code").GetInt32());
        Assert.Contains(run.GetProperty("attempts").EnumerateArray(), a => a.GetProperty("id").GetInt64() == id);
        Assert.Contains(text.StdoutLines, l => l.StartsWith("reason:", StringComparison.Ordinal) && l.EndsWith("exit code 3", StringComparison.Ordinal));
        Assert.Contains("attempts of this slot:", text.Stdout, StringComparison.Ordinal);
        Assert.Equal("boom\n", logs.Stdout);
    }

    [Fact]
    public async Task RunsRetry_FailedRun_InsertsTheNextManualAttemptOnce()
    {
        var failed = fixture.FailedRunIds[0];
        var original = await _home.JsonAsync("runs", "show", Id(failed));

        var retryId = await _home.RunIdAsync("runs", "retry", Id(failed));
        var again = await _home.RunAsync("runs", "retry", Id(failed));
        var retry = await _home.JsonAsync("runs", "show", Id(retryId));

        Assert.Equal(original.GetProperty("slot").GetString(), retry.GetProperty("slot").GetString());
        Assert.Equal(original.GetProperty("attempt").GetInt32() + 1, retry.GetProperty("attempt").GetInt32());
        Assert.Equal("pending", retry.GetProperty("state").GetString());
        Assert.Equal("manual", retry.GetProperty("trigger").GetString());
        Assert.Equal(2, again.ExitCode);
        Assert.Contains($"already has attempt 2 pending (run {retryId})", Assert.Single(again.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsRetry_SucceededRun_IsRefused()
    {
        var result = await _home.RunAsync("runs", "retry", Id(fixture.ManualRunId));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("succeeded; only a run that ended without success can be retried", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TriggerWithoutDaemon_InsertsAPendingManualRunVisibleInRunsList()
    {
        var id = await _home.RunIdAsync("jobs", "trigger", "nightly");

        var pending = await _home.JsonAsync("runs", "list", "--job", "nightly", "--state", "pending");

        var run = Assert.Single(pending.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
        Assert.Equal("manual", run.GetProperty("trigger").GetString());
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("started_at").ValueKind);
    }

    [Fact]
    public async Task PauseResume_ConfigJob_RoundTripsThroughTheLedger()
    {
        var pause = await _home.RunAsync("jobs", "pause", "boom");
        var paused = Contract.Job(await _home.JsonAsync("jobs", "list"), "boom");
        var resume = await _home.RunAsync("jobs", "resume", "boom");
        var resumed = Contract.Job(await _home.JsonAsync("jobs", "list"), "boom");

        Assert.Equal((0, 0), (pause.ExitCode, resume.ExitCode));
        Assert.Equal(("paused", false), (paused.GetProperty("state").GetString(), paused.GetProperty("enabled").GetBoolean()));
        Assert.Equal(("enabled", true), (resumed.GetProperty("state").GetString(), resumed.GetProperty("enabled").GetBoolean()));
    }

    [Theory]
    [InlineData("edit", "--timeout", "5m")]
    [InlineData("remove")]
    public async Task EditOrRemove_ConfigJob_IsRefusedWithAdviceToEditTheFile(string verb, params string[] options)
    {
        var result = await _home.RunAsync(["jobs", verb, "nightly", .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"vigil: job \"nightly\" is declared in {_home.ConfigPath}; edit the file instead", Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Drain_Wait_StopsTheDaemonCleanly_AndAgainFindsNoDaemon()
    {
        var again = await _home.RunAsync("drain");

        Assert.Equal(0, fixture.Drain.ExitCode);
        Assert.Contains("stopped cleanly", fixture.Drain.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Daemon.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("vigil: no daemon is running for", Assert.Single(again.StderrLines), StringComparison.Ordinal);
    }
}
