using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Engine;

/// <summary>A ledger call that fails must not leave a run running without a supervisor (G3).</summary>
public sealed class LedgerFaultTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;
    private EngineHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Claim_OneClaimOfABatchFails_TheClaimedRunStillStartsAndTheOtherIsClaimedAfterAPause()
    {
        // Two pending runs are claimed in one batch (each job has its own session, so their slots
        // go through the pending path); the ledger refuses the second claim (an I/O error on that
        // statement). The first is running in the ledger: its action must start, or nothing would
        // ever finish it.
        var gate = _harness.Gate("work");
        await _harness.AddJobAsync(TestJobs.Handler("a", "every 1h", JobPolicies.Default with { Session = "s-a" }, handler: "work"));
        await _harness.AddJobAsync(TestJobs.Handler("b", "every 1h", JobPolicies.Default with { Session = "s-b" }, handler: "work"));
        var claims = 0;
        await _harness.StartAsync(fault: (method, _) =>
            method == nameof(IRunStore.ClaimAsync) && Interlocked.Increment(ref claims) == 2 ? new IOException("disk I/O error") : null);

        var first = await gate.NextAsync();
        await _harness.WaitForStateAsync(first.Context.Job, Start, 1, RunState.Running);
        var other = first.Context.Job == "a" ? "b" : "a";
        Assert.Equal(RunState.Pending, (await _harness.Ledger.ListAttemptsAsync(other, Start, CancellationToken.None))[0].State);

        await _harness.AdvanceToTimerAsync(Start.AddSeconds(1));
        var second = await gate.NextAsync();
        Assert.Equal(other, second.Context.Job);
        first.Succeed();
        second.Succeed();
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("a", Start)).State);
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("b", Start)).State);
    }

    [Fact]
    public async Task ClaimOnInsert_OneInsertOfABatchFails_TheClaimedRunStillStartsAndTheOtherSlotIsPlannedAgainAfterAPause()
    {
        // Two slots are claimed as they are inserted, in one batch; the ledger refuses the second.
        // The first is running in the ledger and must start; the second slot has no row, and the
        // next pass plans it again (the first, already written, is not started twice).
        var gate = _harness.Gate("work");
        await _harness.AddJobAsync(TestJobs.Handler("a", "every 1h", handler: "work"));
        await _harness.AddJobAsync(TestJobs.Handler("b", "every 1h", handler: "work"));
        var inserts = 0;
        await _harness.StartAsync(fault: (method, _) =>
            method == nameof(IRunStore.InsertClaimedAsync) && Interlocked.Increment(ref inserts) == 2 ? new IOException("disk I/O error") : null);

        var first = await gate.NextAsync();
        await _harness.WaitForStateAsync(first.Context.Job, Start, 1, RunState.Running);
        var other = first.Context.Job == "a" ? "b" : "a";
        Assert.Empty(await _harness.Ledger.ListAttemptsAsync(other, Start, CancellationToken.None));

        await _harness.AdvanceToTimerAsync(Start.AddSeconds(1));
        var second = await gate.NextAsync();
        Assert.Equal(other, second.Context.Job);
        first.Succeed();
        second.Succeed();
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("a", Start)).State);
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("b", Start)).State);
        Assert.Single(await _harness.Ledger.ListAttemptsAsync(first.Context.Job, Start, CancellationToken.None));
        Assert.Equal(2, gate.Started.Count);
    }

    [Fact]
    public async Task Sleep_PendingRunComingDueBetweenThePassAndTheSleep_WakesTheLoopAtOnce()
    {
        // A retry due 100 ms after the pass looked at pending runs; 200 ms pass before the loop
        // asks when to wake (a slow ledger, a busy machine). The loop must not sleep past it
        // (the harness's MaxSleep is 30 days).
        _harness.Ok("work");
        await _harness.AddJobAsync(TestJobs.Handler("work", "at 2099-01-01T00:00:00Z"));
        await _harness.Ledger.InsertRunAsync(
            new NewRun { Job = "work", Slot = Start, Trigger = RunTrigger.Manual, NotBefore = Start.AddMilliseconds(100) },
            Start,
            CancellationToken.None);
        var advanced = 0;
        await _harness.StartAsync(fault: (method, args) =>
        {
            if (method == nameof(IRunStore.ListPendingAsync) && args[1] is int limit && limit < 1000 && Interlocked.Exchange(ref advanced, 1) == 0)
            {
                _harness.Clock.Advance(TimeSpan.FromMilliseconds(200));
            }

            return null;
        });

        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("work", Start)).State);
    }
}
