using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Engine;

/// <summary><c>overlap</c>: a slot falls due while the job's previous run is still active.</summary>
/// <remarks>
/// <code>
///   09:00  run 1 starts and stays active
///   09:01  slot 2 due  → skip: skipped | queue: waits | allow: runs too | replace: run 1 cancelled, slot 2 runs
///   09:02  slot 3 due  → queue: skipped (one slot is already queued)
/// </code>
/// </remarks>
public sealed class OverlapTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;
    private EngineHarness _harness = null!;
    private GateHandler _gate = null!;

    public async Task InitializeAsync()
    {
        _harness = await EngineHarness.CreateAsync();
        _gate = _harness.Gate("sync");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<GateRun> StartFirstRunAsync(OverlapPolicy overlap)
    {
        await _harness.AddJobAsync(TestJobs.Handler("sync", "every 1m", new JobPolicies { Overlap = overlap }));
        await _harness.StartAsync();
        var first = await _gate.NextAsync();
        await _harness.WaitForStateAsync("sync", Start, 1, RunState.Running);
        return first;
    }

    [Fact]
    public async Task Slot_DueWhilePreviousRunActiveWithSkip_IsRecordedSkipped()
    {
        var first = await StartFirstRunAsync(OverlapPolicy.Skip);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));
        var second = await _harness.WaitForEndAsync("sync", Start.AddMinutes(1));

        Assert.Equal(RunState.Skipped, second.State);
        Assert.Equal("previous run still active", second.Reason);
        Assert.Equal(Start.AddMinutes(1), second.FinishedAt);
        first.Succeed();
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("sync", Start)).State);
        Assert.Single(_gate.Started);
    }

    [Fact]
    public async Task Slot_DueWhilePreviousRunActiveWithQueue_WaitsForItAndBuffersOnlyOne()
    {
        var first = await StartFirstRunAsync(OverlapPolicy.Queue);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));
        await _harness.WaitForStateAsync("sync", Start.AddMinutes(1), 1, RunState.Pending);
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(2));
        var third = await _harness.WaitForEndAsync("sync", Start.AddMinutes(2));
        Assert.Equal(RunState.Skipped, third.State);
        Assert.Equal("previous run still active and a slot is already queued (overlap: queue)", third.Reason);
        Assert.Equal(RunState.Pending, (await _harness.Ledger.ListAttemptsAsync("sync", Start.AddMinutes(1), CancellationToken.None))[0].State);

        _harness.Clock.Advance(TimeSpan.FromSeconds(30));
        first.Succeed();
        var queued = await _gate.NextAsync();
        Assert.Equal(Start.AddMinutes(1), queued.Context.Slot);
        queued.Succeed();

        var firstRow = await _harness.WaitForEndAsync("sync", Start);
        var queuedRow = await _harness.WaitForEndAsync("sync", Start.AddMinutes(1));
        Assert.Equal(RunState.Succeeded, queuedRow.State);
        Assert.Equal(Start.AddMinutes(2.5), firstRow.FinishedAt);
        Assert.Equal(Start.AddMinutes(2.5), queuedRow.StartedAt);
        Assert.Equal(1, _gate.MaxActive);
    }

    [Fact]
    public async Task Slot_DueWhilePreviousRunActiveWithAllow_RunsAlongsideIt()
    {
        var first = await StartFirstRunAsync(OverlapPolicy.Allow);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));
        var second = await _gate.NextAsync();

        Assert.Equal(Start.AddMinutes(1), second.Context.Slot);
        Assert.Equal(RunState.Running, (await _harness.WaitForStateAsync("sync", Start, 1, RunState.Running)).State);
        Assert.Equal(2, _gate.MaxActive);
        first.Succeed();
        second.Succeed();
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("sync", Start.AddMinutes(1))).State);
    }

    [Fact]
    public async Task Slot_DueWhilePreviousRunActiveWithReplace_CancelsItWithAReasonAndRuns()
    {
        var first = await StartFirstRunAsync(OverlapPolicy.Replace);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));
        var second = await _gate.NextAsync();

        var replaced = await _harness.WaitForEndAsync("sync", Start);
        Assert.Equal(RunState.Cancelled, replaced.State);
        Assert.Equal("replaced by the run of slot 2026-03-02T09:01:00Z (overlap: replace)", replaced.Reason);
        Assert.True(first.CancellationToken.IsCancellationRequested);
        Assert.Equal(Start.AddMinutes(1), second.Context.Slot);
        var secondRow = await _harness.WaitForStateAsync("sync", Start.AddMinutes(1), 1, RunState.Running);
        Assert.True(secondRow.StartedAt >= replaced.FinishedAt);
        second.Succeed();
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("sync", Start.AddMinutes(1))).State);
    }
}
