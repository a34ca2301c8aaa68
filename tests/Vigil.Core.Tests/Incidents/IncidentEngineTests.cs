using Vigil.Core.Tests.Engine;
using Vigil.Core.Tests.Supervision;
using Vigil.Incidents;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Incidents;

/// <summary>The detectors inside a running engine, on a real ledger, with the manual clock.</summary>
public sealed class IncidentEngineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;
    private EngineHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<IncidentRecord> WaitForIncidentAsync(string? job, IncidentKind kind, Func<IncidentRecord, bool> until, string what)
    {
        IncidentRecord? found = null;
        await EngineHarness.WaitUntilAsync(
            async () =>
            {
                var incidents = await _harness.Ledger.ListIncidentsAsync(new IncidentQuery { Job = job, Kind = kind }, CancellationToken.None);
                found = incidents.Count > 0 ? incidents[0] : null;
                return found is not null && until(found);
            },
            () => $"{kind.Name()} incident of {job ?? "the node"}: {what} (last seen: {(found is null ? "none" : $"{found.State.Name()} count {found.Count}: {found.Detail}")})");
        return found!;
    }

    [Fact]
    public async Task FailureStreak_ThirdFailureOpensFourthPausesAndSaysSo_SuccessAfterResumeResolves()
    {
        var succeed = false;
        _harness.Handlers.Register("flaky", new DelegateHandler((_, _) => Task.FromResult(
            Volatile.Read(ref succeed) ? HandlerResult.Ok : new HandlerResult { Status = "failed", Summary = "model unreachable" })));
        await _harness.AddJobAsync(TestJobs.Handler("flaky", "every 1m", JobPolicies.Default with { PauseAfterFailures = 4 }));
        var engine = await _harness.StartAsync();

        await _harness.WaitForEndAsync("flaky", Start);
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));
        await _harness.WaitForEndAsync("flaky", Start.AddMinutes(1));
        Assert.Empty(await _harness.Ledger.ListIncidentsAsync(new IncidentQuery { Kind = IncidentKind.FailedStreak }, CancellationToken.None));
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(2));
        var opened = await WaitForIncidentAsync("flaky", IncidentKind.FailedStreak, i => i.Count == 1, "opened at the third failure");
        Assert.StartsWith("3 runs in a row did not succeed", opened.Detail, StringComparison.Ordinal);
        Assert.False((await _harness.Ledger.GetJobAsync("flaky", CancellationToken.None))!.Paused);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(3));
        var paused = await WaitForIncidentAsync("flaky", IncidentKind.FailedStreak, i => i.Count == 2, "updated at the fourth failure");
        Assert.Contains("job paused (pause_after_failures: 4)", paused.Detail, StringComparison.Ordinal);
        Assert.True((await _harness.Ledger.GetJobAsync("flaky", CancellationToken.None))!.Paused);
        Assert.Equal(opened.Id, paused.Id);

        Volatile.Write(ref succeed, true);
        await _harness.Ledger.SetJobPausedAsync("flaky", paused: false, _harness.Clock.GetUtcNow(), CancellationToken.None);
        engine.Engine.ReloadJobs();
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(4));
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("flaky", Start.AddMinutes(4))).State);

        var resolved = await WaitForIncidentAsync("flaky", IncidentKind.FailedStreak, i => i.State == IncidentState.Resolved, "resolved by the success");
        Assert.Contains("succeeded", resolved.Resolution, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimedOut_RunPastItsTimeout_OpensTimedOutAndTheNextSuccessResolvesIt()
    {
        var gate = _harness.Gate("slow");
        var policies = JobPolicies.Default with { Timeout = TimeSpan.FromSeconds(20), KillGrace = TimeSpan.FromSeconds(5) };
        await _harness.AddJobAsync(TestJobs.Handler("slow", "every 1m", policies));
        await _harness.StartAsync();
        await gate.NextAsync();

        await _harness.AdvanceToTimerAsync(Start.AddSeconds(20));
        Assert.Equal(RunState.TimedOut, (await _harness.WaitForEndAsync("slow", Start)).State);
        var opened = await WaitForIncidentAsync("slow", IncidentKind.TimedOut, i => i.State == IncidentState.Open, "opened");
        Assert.Contains("timed out: timeout 20s exceeded", opened.Detail, StringComparison.Ordinal);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));
        (await gate.NextAsync()).Succeed();
        await WaitForIncidentAsync("slow", IncidentKind.TimedOut, i => i.State == IncidentState.Resolved, "resolved");
    }

    [Fact]
    public async Task EmptyStreak_ConsecutiveEmptyResults_OpenAtTheLimitAndAResultWithTokensResolves()
    {
        var tokens = 0L;
        _harness.Handlers.Register("canary", new DelegateHandler((_, _) => Task.FromResult(
            new HandlerResult { Status = Volatile.Read(ref tokens) == 0 ? "empty" : "ok", TokensIn = 10, TokensOut = Volatile.Read(ref tokens) })));
        await _harness.AddJobAsync(TestJobs.Handler("canary", "every 1m", JobPolicies.Default with { Expect = new ExpectPolicy { EmptyStreak = 2 } }));
        await _harness.StartAsync();

        await _harness.WaitForEndAsync("canary", Start);
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));
        var opened = await WaitForIncidentAsync("canary", IncidentKind.EmptyStreak, i => i.State == IncidentState.Open, "opened at the second empty result");
        Assert.StartsWith("2 runs in a row reported an empty result (expect.empty_streak: 2)", opened.Detail, StringComparison.Ordinal);
        Assert.All(await _harness.RunsAsync("canary"), r => Assert.Equal(RunState.Succeeded, r.State));

        Interlocked.Exchange(ref tokens, 512);
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(2));
        await WaitForIncidentAsync("canary", IncidentKind.EmptyStreak, i => i.State == IncidentState.Resolved, "resolved by a result with tokens");
    }

    [Fact]
    public async Task CrashLoop_ThirdIncarnationAfterTwoDeaths_OpensNodeIncidentResolvedAfterTenMinutesUp()
    {
        (await _harness.StartAsync()).Crash();
        (await _harness.StartAsync()).Crash();
        var third = await _harness.StartAsync();

        var opened = await WaitForIncidentAsync(null, IncidentKind.CrashLoop, i => i.State == IncidentState.Open, "opened");
        Assert.Null(opened.Job);
        Assert.Equal(EngineHarness.Node, opened.Node);
        Assert.StartsWith($"3 incarnations of node {EngineHarness.Node} within 10m without a clean stop", opened.Detail, StringComparison.Ordinal);

        _harness.Clock.Advance(TimeSpan.FromMinutes(10));
        await third.Engine.Monitor.CheckAsync(CancellationToken.None);
        var resolved = await WaitForIncidentAsync(null, IncidentKind.CrashLoop, i => i.State == IncidentState.Resolved, "resolved");
        Assert.Equal($"incarnation {third.Incarnation.Id} up for 10m", resolved.Resolution);
    }

    [Fact]
    public async Task CrashLoop_CleanStopBetween_OpensNothing()
    {
        (await _harness.StartAsync()).Crash();
        await (await _harness.StartAsync()).StopAsync();
        var third = await _harness.StartAsync();
        await third.Engine.Monitor.CheckAsync(CancellationToken.None);

        Assert.Empty(await _harness.Ledger.ListIncidentsAsync(new IncidentQuery { Kind = IncidentKind.CrashLoop }, CancellationToken.None));
    }

    [Fact]
    public async Task StuckPlanner_EveryPassFails_WatchdogOpensStalledAndMonitorOpensPastDue_BothResolveWhenItRecovers()
    {
        // The planner cannot write a slot (the ledger refuses every insert): each pass fails, so the
        // planner makes no progress from its first pass on, and the 09:00 slot never gets a row.
        var broken = 1;
        var stalls = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Ok("tick");
        await _harness.AddJobAsync(TestJobs.Handler("tick", "every 1m"));
        var engine = await _harness.StartAsync(
            options => options with
            {
                Incidents = options.Incidents with { StallAfter = TimeSpan.FromMinutes(2), WatchdogInterval = TimeSpan.FromMilliseconds(20), OnStall = s => stalls.TrySetResult(s) },
            },
            fault: (method, _) => method is nameof(IRunStore.InsertRunAsync) or nameof(IRunStore.InsertClaimedAsync) && Volatile.Read(ref broken) == 1 ? new IOException("disk I/O error") : null);
        Assert.Null(engine.Engine.Stall);

        // The first pass failed: the loop waits a second before the next one.
        await _harness.Clock.WaitForTimerAsync(Start.AddSeconds(1), EngineHarness.Patience);
        _harness.Clock.Advance(TimeSpan.FromMinutes(2));
        var stall = await stalls.Task.WaitAsync(EngineHarness.Patience);
        Assert.StartsWith("the planner loop has made no progress for 2m", stall, StringComparison.Ordinal);
        Assert.Equal(stall, engine.Engine.Stall);
        var stalled = await WaitForIncidentAsync(null, IncidentKind.SchedulerStalled, i => i.State == IncidentState.Open, "opened by the watchdog");
        Assert.Equal(stall, stalled.Detail);

        // Past due for an every-1m job: max(grace 2m, 2 × 1m) = 2m after 09:00, whatever the cause.
        await engine.Engine.Monitor.CheckAsync(CancellationToken.None);
        var pastDue = await WaitForIncidentAsync("tick", IncidentKind.PastDue, i => i.State == IncidentState.Open, "opened by the check");
        Assert.Contains("slot 2026-03-02T09:00:00Z has no run 2m after it was due", pastDue.Detail, StringComparison.Ordinal);

        Volatile.Write(ref broken, 0);
        _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await EngineHarness.WaitUntilAsync(() => Task.FromResult(engine.Engine.Stall is null), () => "the watchdog to see the planner healthy again");
        await _harness.WaitForEndAsync("tick", Start.AddMinutes(2));
        await engine.Engine.Monitor.CheckAsync(CancellationToken.None);
        await WaitForIncidentAsync(null, IncidentKind.SchedulerStalled, i => i.State == IncidentState.Resolved, "resolved");
        await WaitForIncidentAsync("tick", IncidentKind.PastDue, i => i.State == IncidentState.Resolved, "resolved");
    }

    [Fact]
    public async Task StalledLedger_StallReportItselfFails_NextCheckAfterRecoveryRecordsTheStallOpenedAndResolved()
    {
        // Every write fails, the stall's own incident included: the ledger is the stall.
        var broken = 1;
        var stalls = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Ok("tick");
        await _harness.AddJobAsync(TestJobs.Handler("tick", "every 1m"));
        var engine = await _harness.StartAsync(
            options => options with
            {
                Incidents = options.Incidents with { StallAfter = TimeSpan.FromMinutes(2), WatchdogInterval = TimeSpan.FromMilliseconds(20), OnStall = s => stalls.TrySetResult(s) },
            },
            fault: (method, _) => method is nameof(IRunStore.InsertRunAsync) or nameof(IRunStore.InsertClaimedAsync) or nameof(IRunStore.ApplyIncidentBatchAsync) && Volatile.Read(ref broken) == 1
                ? new IOException("database is locked")
                : null);

        await _harness.Clock.WaitForTimerAsync(Start.AddSeconds(1), EngineHarness.Patience);
        _harness.Clock.Advance(TimeSpan.FromMinutes(2));
        var stall = await stalls.Task.WaitAsync(EngineHarness.Patience);
        await Assert.ThrowsAnyAsync<Exception>(() => engine.Engine.Monitor.CheckAsync(CancellationToken.None));
        Assert.Empty(await _harness.Ledger.ListIncidentsAsync(new IncidentQuery { Kind = IncidentKind.SchedulerStalled }, CancellationToken.None));

        Volatile.Write(ref broken, 0);
        _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await EngineHarness.WaitUntilAsync(() => Task.FromResult(engine.Engine.Stall is null), () => "the watchdog to see the planner healthy again");
        await engine.Engine.Monitor.CheckAsync(CancellationToken.None);

        var recorded = await WaitForIncidentAsync(null, IncidentKind.SchedulerStalled, i => i.State == IncidentState.Resolved, "recorded after the ledger recovered, and resolved");
        Assert.Equal(stall, recorded.Detail);
        Assert.Equal(1, recorded.Count);
        Assert.Equal("every loop is making progress", recorded.Resolution);
    }
}
