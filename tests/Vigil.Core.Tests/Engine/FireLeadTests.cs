using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Engine;

/// <summary>
/// The fire lead: a slot whose start nothing can hold back is claimed on insert a little ahead of
/// its instant and started on the instant; any other slot is written pending, not before its instant.
/// </summary>
public sealed class FireLeadTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;
    private static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(50);
    private static readonly DateTimeOffset Next = Start.AddMinutes(1);
    private EngineHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<EngineInstance> StartWithLeadAsync() => _harness.StartAsync(options => options with { FireLead = Lead });

    [Fact]
    public async Task Slot_ClaimedOnInsertAheadOfItsInstant_ActionStartsOnTheInstantNotBefore()
    {
        var gate = _harness.Gate("tick");
        await _harness.AddJobAsync(TestJobs.Handler("tick", "every 1m"));
        await StartWithLeadAsync();
        (await gate.NextAsync()).Succeed();
        await _harness.WaitForEndAsync("tick", Start);

        // The loop wakes the lead ahead of 09:01 and commits the running mark, started at 09:01.
        await _harness.AdvanceToTimerAsync(Next - Lead);
        var armed = await _harness.WaitForStateAsync("tick", Next, 1, RunState.Running);
        Assert.Equal(Next, armed.StartedAt);
        Assert.Equal(Next - Lead, armed.CreatedAt);
        Assert.Equal(RunTrigger.Schedule, armed.Trigger);

        // It waits for the instant itself before starting the action.
        await _harness.Clock.WaitForTimerAsync(Next, EngineHarness.Patience);
        Assert.Single(gate.Started);

        _harness.Clock.AdvanceTo(Next);
        var run = await gate.NextAsync();
        Assert.Equal(Next, run.Context.Slot);
        run.Succeed();
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("tick", Next)).State);
    }

    [Fact]
    public async Task Slot_OfAJobWithASession_WrittenPendingNotBeforeItsInstant_StartedOnTheInstantByTheUsualPath()
    {
        var gate = _harness.Gate("agent");
        await _harness.AddJobAsync(TestJobs.Handler("agent", "every 1m", JobPolicies.Default with { Session = "main" }));
        await StartWithLeadAsync();
        (await gate.NextAsync()).Succeed();
        await _harness.WaitForEndAsync("agent", Start);

        await _harness.AdvanceToTimerAsync(Next - Lead);
        var pending = await _harness.WaitForStateAsync("agent", Next, 1, RunState.Pending);
        Assert.Equal(Next, pending.NotBefore);

        await _harness.AdvanceToTimerAsync(Next);
        var run = await gate.NextAsync();
        Assert.Equal(Next, run.Context.Slot);
        Assert.Equal(Next, (await _harness.WaitForStateAsync("agent", Next, 1, RunState.Running)).StartedAt);
        run.Succeed();
    }

    [Fact]
    public async Task Slot_WhileThePreviousRunStillRuns_NotClaimedAhead_OverlapDecidesOnTheInstant()
    {
        var gate = _harness.Gate("slow");
        await _harness.AddJobAsync(TestJobs.Handler("slow", "every 1m"));
        await StartWithLeadAsync();
        var first = await gate.NextAsync();

        await _harness.AdvanceToTimerAsync(Next - Lead);
        Assert.Equal(RunState.Pending, (await _harness.WaitForStateAsync("slow", Next, 1, RunState.Pending)).State);

        await _harness.AdvanceToTimerAsync(Next);
        var skipped = await _harness.WaitForEndAsync("slow", Next);
        Assert.Equal(RunState.Skipped, skipped.State);
        Assert.Equal("previous run still active", skipped.Reason);
        first.Succeed();
    }

    [Fact]
    public async Task Crash_InsideTheLead_TheNeverStartedRunIsRecordedInterruptedAndRetried()
    {
        var gate = _harness.Gate("nightly");
        await _harness.AddJobAsync(TestJobs.Handler("nightly", "every 1m"));
        var first = await StartWithLeadAsync();
        (await gate.NextAsync()).Succeed();
        await _harness.WaitForEndAsync("nightly", Start);
        await _harness.AdvanceToTimerAsync(Next - Lead);
        await _harness.WaitForStateAsync("nightly", Next, 1, RunState.Running);
        await _harness.Clock.WaitForTimerAsync(Next, EngineHarness.Patience);

        first.Crash();
        var second = await _harness.StartAsync();
        var report = await second.Engine.Ready;

        Assert.Equal((1, 1), (report.Interrupted, report.Retried));
        var attempts = await _harness.Ledger.ListAttemptsAsync("nightly", Next, CancellationToken.None);
        Assert.Equal((RunState.Interrupted, "process died while running"), (attempts[0].State, attempts[0].Reason));
        Assert.Equal((RunState.Pending, RunTrigger.Retry), (attempts[1].State, attempts[1].Trigger));
        Assert.True(attempts[1].NotBefore >= Next);
        Assert.Single(gate.Started);
    }
}
