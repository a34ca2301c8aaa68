using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Engine;

/// <summary>
/// Crash points 7 to 9 of docs/ledger.md: a stop signal marks the running runs before the drain
/// waits; runs that end during the drain are recorded as they ended; what still runs at the drain
/// timeout (or at a second signal) is interrupted and recorded; the stop is recorded clean.
/// </summary>
public sealed class DrainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(1);
    private EngineHarness _harness = null!;
    private GateHandler _gate = null!;

    public async Task InitializeAsync() => _harness = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>Starts an engine whose "work" job is running its 09:00 slot, and signals it to stop.</summary>
    private async Task<(EngineInstance Engine, GateRun Run)> RunThenSignalStopAsync(JobPolicies? policies = null, bool ignoresCancellation = false)
    {
        _gate = _harness.Gate("work", ignoresCancellation);
        await _harness.AddJobAsync(TestJobs.Handler("work", "every 1h", policies ?? new JobPolicies { KillGrace = TimeSpan.FromSeconds(5) }));
        var engine = await _harness.StartAsync(o => o with { DrainTimeout = DrainTimeout });
        var run = await _gate.NextAsync();
        await _harness.WaitForStateAsync("work", Start, 1, RunState.Running);
        engine.SignalStop();
        await _harness.WaitForRunAsync("work", Start, 1, r => r.Draining, "marked draining");
        return (engine, run);
    }

    private async Task AssertStoppedCleanAsync(EngineInstance engine, DateTimeOffset at)
    {
        await engine.Running.WaitAsync(EngineHarness.Patience);
        var incarnation = (await _harness.Ledger.ListIncarnationsAsync(EngineHarness.Node, Start.AddDays(-1), CancellationToken.None)).Single();
        Assert.Equal(engine.Incarnation.Id, incarnation.Incarnation.Id);
        Assert.Equal(Start, incarnation.DrainingAt);
        Assert.Equal(at, incarnation.StoppedAt);
        Assert.True(incarnation.CleanStop);
        Assert.DoesNotContain(await _harness.RunsAsync("work"), r => r.State == RunState.Running);
    }

    [Fact]
    public async Task Drain_RunEndingDuringTheDrain_IsRecordedAsItEndedAndTheStopIsClean()
    {
        var (engine, run) = await RunThenSignalStopAsync();

        _harness.Clock.Advance(TimeSpan.FromSeconds(20));
        run.Succeed();

        var ended = await _harness.WaitForEndAsync("work", Start);
        Assert.Equal(RunState.Succeeded, ended.State);
        Assert.Equal(Start.AddSeconds(20), ended.FinishedAt);
        Assert.True(ended.Draining);
        await AssertStoppedCleanAsync(engine, Start.AddSeconds(20));
        Assert.Single(await _harness.RunsAsync("work"));
    }

    [Fact]
    public async Task Drain_RunStillRunningAtTheDrainTimeout_IsInterruptedDrainTimedOutAndRetried()
    {
        var (engine, run) = await RunThenSignalStopAsync();

        await _harness.Clock.WaitForTimerAsync(Start + DrainTimeout, EngineHarness.Patience);
        _harness.Clock.AdvanceTo(Start + DrainTimeout);

        var ended = await _harness.WaitForEndAsync("work", Start);
        Assert.Equal(RunState.Interrupted, ended.State);
        Assert.Equal("drain timed out", ended.Reason);
        Assert.Equal(Start + DrainTimeout, ended.FinishedAt);
        Assert.True(run.CancellationToken.IsCancellationRequested);
        var retry = (await _harness.Ledger.ListAttemptsAsync("work", Start, CancellationToken.None))[1];
        Assert.Equal((RunState.Pending, RunTrigger.Retry, true), (retry.State, retry.Trigger, retry.Resumed));
        Assert.Equal(Start + DrainTimeout + TimeSpan.FromSeconds(30), retry.NotBefore);
        await AssertStoppedCleanAsync(engine, Start + DrainTimeout);
    }

    [Fact]
    public async Task Drain_ActionIgnoringItsStopAtTheDrainTimeout_IsRecordedAfterKillGrace()
    {
        var policies = new JobPolicies { KillGrace = TimeSpan.FromSeconds(5), OnInterrupt = InterruptPolicy.Record };
        var (engine, run) = await RunThenSignalStopAsync(policies, ignoresCancellation: true);

        await _harness.AdvanceToTimerAsync(Start + DrainTimeout);
        await _harness.Clock.WaitForTimerAsync(Start + DrainTimeout + TimeSpan.FromSeconds(5), EngineHarness.Patience);
        _harness.Clock.AdvanceTo(Start + DrainTimeout + TimeSpan.FromSeconds(5));

        var ended = await _harness.WaitForEndAsync("work", Start);
        Assert.Equal(RunState.Interrupted, ended.State);
        Assert.Equal("drain timed out (on_interrupt: record)", ended.Reason);
        Assert.Equal(Start + DrainTimeout + TimeSpan.FromSeconds(5), ended.FinishedAt);
        Assert.False(run.Outcome.IsCompleted);
        Assert.Single(await _harness.RunsAsync("work"));
        await AssertStoppedCleanAsync(engine, Start + DrainTimeout + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Drain_SecondStopSignal_InterruptsAtOnceAndRecords()
    {
        var (engine, run) = await RunThenSignalStopAsync();
        _harness.Clock.Advance(TimeSpan.FromSeconds(3));

        engine.Engine.Interrupt();

        var ended = await _harness.WaitForEndAsync("work", Start);
        Assert.Equal(RunState.Interrupted, ended.State);
        Assert.Equal("interrupted by a second stop signal during the drain", ended.Reason);
        Assert.Equal(Start.AddSeconds(3), ended.FinishedAt);
        Assert.True(run.CancellationToken.IsCancellationRequested);
        Assert.Equal(2, (await _harness.RunsAsync("work")).Count);
        await AssertStoppedCleanAsync(engine, Start.AddSeconds(3));
    }
}
