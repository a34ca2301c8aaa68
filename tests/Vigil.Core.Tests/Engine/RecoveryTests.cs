using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Engine;

/// <summary>
/// Crash points 2, 4 and 7 of docs/ledger.md: what the next incarnation finds after a process died
/// with runs in flight, and how attempts stay bounded when that keeps happening.
/// </summary>
public sealed class RecoveryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Slot = EngineHarness.Start;
    private EngineHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JobPolicies NoBackoff(InterruptPolicy onInterrupt = InterruptPolicy.Retry) => new()
    {
        OnInterrupt = onInterrupt,
        Retry = new RetryPolicy { Backoff = TimeSpan.Zero },
    };

    /// <summary>Starts an engine and waits until it runs <paramref name="attempt"/> of the slot.</summary>
    private async Task<EngineInstance> StartAndRunAsync(GateHandler gate, int attempt)
    {
        var engine = await _harness.StartAsync();
        var run = await gate.NextAsync();
        Assert.Equal(attempt, run.Context.Attempt);
        await _harness.WaitForStateAsync("nightly", Slot, attempt, RunState.Running);
        return engine;
    }

    [Fact]
    public async Task RunAsync_RunLeftRunningByAnEarlierIncarnation_RecordsInterruptedAndRunsAResumedRetry()
    {
        var gate = _harness.Gate("nightly");
        await _harness.AddJobAsync(TestJobs.Handler("nightly", "every 1h"));
        var first = await StartAndRunAsync(gate, attempt: 1);
        first.Crash();
        _harness.Clock.Advance(TimeSpan.FromMinutes(2));
        var restartedAt = _harness.Clock.GetUtcNow();

        var second = await _harness.StartAsync();
        var report = await second.Engine.Ready;

        Assert.Equal((1, 1), (report.Interrupted, report.Retried));
        var attempts = await _harness.Ledger.ListAttemptsAsync("nightly", Slot, CancellationToken.None);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(RunState.Interrupted, attempts[0].State);
        Assert.Equal("process died while running", attempts[0].Reason);
        Assert.Equal(restartedAt, attempts[0].FinishedAt);
        Assert.Equal(first.Incarnation.Id, attempts[0].IncarnationId);
        Assert.Equal(RunState.Pending, attempts[1].State);
        Assert.Equal(RunTrigger.Retry, attempts[1].Trigger);
        Assert.True(attempts[1].Resumed);
        Assert.Equal(restartedAt.AddSeconds(30), attempts[1].NotBefore);

        await _harness.AdvanceToTimerAsync(restartedAt.AddSeconds(30));
        var retry = await gate.NextAsync();
        Assert.Equal(2, retry.Context.Attempt);
        Assert.True(retry.Context.Resumed);
        retry.Succeed();
        var done = await _harness.WaitForEndAsync("nightly", Slot, attempt: 2);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(second.Incarnation.Id, done.IncarnationId);
        Assert.Equal(restartedAt.AddSeconds(30), done.StartedAt);
    }

    [Fact]
    public async Task RunAsync_OnInterruptRecord_RecordsTheRunInterruptedAndDoesNotRunItAgain()
    {
        var gate = _harness.Gate("nightly");
        await _harness.AddJobAsync(TestJobs.Handler("nightly", "every 1h", NoBackoff(InterruptPolicy.Record)));
        var first = await StartAndRunAsync(gate, attempt: 1);
        first.Crash();

        var second = await _harness.StartAsync();
        var report = await second.Engine.Ready;
        await second.StopAsync();

        Assert.Equal((1, 0), (report.Interrupted, report.Retried));
        var attempt = Assert.Single(await _harness.Ledger.ListAttemptsAsync("nightly", Slot, CancellationToken.None));
        Assert.Equal(RunState.Interrupted, attempt.State);
        Assert.Equal("process died while running (on_interrupt: record)", attempt.Reason);
        Assert.Single(gate.Started);
    }

    [Fact]
    public async Task RunAsync_ProcessKilledDuringItsDrain_RecordsKilledDuringDrainAndRetries()
    {
        var gate = _harness.Gate("nightly");
        await _harness.AddJobAsync(TestJobs.Handler("nightly", "every 1h", NoBackoff()));
        var first = await StartAndRunAsync(gate, attempt: 1);

        // SIGTERM: the drain marks the run before it waits; then the service manager kills the process.
        first.SignalStop();
        await _harness.WaitForRunAsync("nightly", Slot, 1, r => r.Draining, "marked draining");
        first.Crash();
        var second = await _harness.StartAsync();

        var attempts = await _harness.Ledger.ListAttemptsAsync("nightly", Slot, CancellationToken.None);
        Assert.Equal("killed during drain", attempts[0].Reason);
        Assert.Equal(RunState.Interrupted, attempts[0].State);
        Assert.Equal(2, attempts.Count);
        var retry = await gate.NextAsync();
        Assert.Equal(2, retry.Context.Attempt);
        Assert.True(retry.Context.Resumed);
        Assert.NotNull(second.Incarnation);
    }

    [Fact]
    public async Task RunAsync_SecondProcessDeathDuringTheSameSlot_TripsThePoisonGuard()
    {
        var gate = _harness.Gate("nightly");
        await _harness.AddJobAsync(TestJobs.Handler("nightly", "every 1h", NoBackoff()));
        (await StartAndRunAsync(gate, attempt: 1)).Crash();
        (await StartAndRunAsync(gate, attempt: 2)).Crash();

        var third = await _harness.StartAsync();
        var report = await third.Engine.Ready;
        await third.StopAsync();

        Assert.Equal((1, 0), (report.Interrupted, report.Retried));
        var attempts = await _harness.Ledger.ListAttemptsAsync("nightly", Slot, CancellationToken.None);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(RunState.Interrupted, a.State));
        Assert.Equal("process died while running", attempts[0].Reason);
        Assert.Equal("process died while running (poison guard: two process deaths in a row during this slot; not retried)", attempts[1].Reason);
        Assert.Equal(2, gate.Started.Count);
    }

    [Fact]
    public async Task RunAsync_CrashLoopKillingEveryAttempt_NeverRunsASlotMoreThanMaxAttempts()
    {
        // Killed during the drain each time, so the poison guard (process deaths) does not stop it:
        // only retry.max_attempts does.
        var gate = _harness.Gate("nightly");
        await _harness.AddJobAsync(TestJobs.Handler("nightly", "every 1h", NoBackoff()));
        for (var restart = 0; restart < 6; restart++)
        {
            var engine = await _harness.StartAsync();
            var attempts = await _harness.Ledger.ListAttemptsAsync("nightly", Slot, CancellationToken.None);
            if (restart > 0 && attempts.All(a => a.State.IsTerminal()))
            {
                await engine.StopAsync();
                continue;
            }

            await gate.NextAsync();
            var running = await _harness.WaitForRunAsync("nightly", Slot, restart + 1, r => r.State == RunState.Running, "running");
            engine.SignalStop();
            await _harness.WaitForRunAsync("nightly", Slot, running.Attempt, r => r.Draining, "marked draining");
            engine.Crash();
            _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var all = await _harness.Ledger.ListAttemptsAsync("nightly", Slot, CancellationToken.None);
        Assert.Equal([1, 2, 3], all.Select(a => a.Attempt));
        Assert.All(all, a => Assert.Equal(RunState.Interrupted, a.State));
        Assert.Equal("killed during drain (attempt 3 of 3; no attempts left)", all[2].Reason);
        Assert.Equal(3, gate.Started.Count);
        Assert.Equal([1, 2, 3], gate.Started.Select(r => r.Context.Attempt));
    }
}
