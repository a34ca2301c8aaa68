using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

/// <summary>Adoption: a later incarnation takes over a run whose command outlived the earlier one (restart-transparent runs).</summary>
public abstract partial class RunStoreConformanceTests
{
    [Fact]
    public async Task AdoptAsync_RunningUnderAnEarlierIncarnation_ChangesOwnerKeepsStartAndDeadlineAndRecordsTheAdoption()
    {
        var earlier = await StartAsync();
        var id = await InsertRunningAsync(earlier, "nightly", Slot(22), session: "main");
        await Store.BeginDrainAsync(earlier, At(5), Ct);
        await Store.StopIncarnationAsync(earlier, clean: true, At(6), Ct);
        var later = await StartAsync(now: At(10));

        Assert.True(await Store.AdoptAsync(id, earlier.Id, later, At(11), Ct));

        var run = await GetAsync(id);
        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(later.Id, run.IncarnationId);
        Assert.Equal(later.Id, run.AdoptedBy);
        Assert.Equal(At(11), run.AdoptedAt);
        Assert.Equal(At(1), run.StartedAt);
        Assert.Equal(At(1) + Timeout, run.Deadline);
        Assert.False(run.Draining);
        Assert.Equal("node-a", run.Node);
        Assert.Equal(id, Assert.Single(await Store.ListRunningAsync("node-a", Ct)).Id);
    }

    [Fact]
    public async Task AdoptAsync_ThenFinishByTheAdopter_IsFencedToTheAdopter()
    {
        var earlier = await StartAsync();
        var id = await InsertRunningAsync(earlier, "nightly", Slot(22));
        var later = await StartAsync(now: At(10));
        Assert.True(await Store.AdoptAsync(id, earlier.Id, later, At(11), Ct));

        Assert.False(await Store.FinishAsync(id, earlier, new RunOutcome { State = RunState.Succeeded }, At(12), Ct));
        Assert.True(await Store.FinishAsync(id, later, new RunOutcome { State = RunState.Succeeded, ExitCode = 0, Output = "done\n" }, At(13), Ct));

        var run = await GetAsync(id);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(later.Id, run.AdoptedBy);
        Assert.Equal("done\n", await Store.GetRunOutputAsync(id, Ct));
    }

    [Fact]
    public async Task AdoptAsync_RunNoLongerUnderTheExpectedOwner_ChangesNothing()
    {
        var earlier = await StartAsync();
        var finished = await InsertRunningAsync(earlier, "a", Slot(0));
        await Store.FinishAsync(finished, earlier, new RunOutcome { State = RunState.Failed, Reason = "exit code 1" }, At(2), Ct);
        var pending = await InsertAsync(Run("b", Slot(0)));
        var running = await InsertRunningAsync(earlier, "c", Slot(0));
        var later = await StartAsync(now: At(10));
        Assert.True(await Store.AdoptAsync(running, earlier.Id, later, At(11), Ct));
        var third = await StartAsync(now: At(20));

        Assert.False(await Store.AdoptAsync(finished, earlier.Id, later, At(11), Ct));
        Assert.False(await Store.AdoptAsync(pending, earlier.Id, later, At(11), Ct));
        Assert.False(await Store.AdoptAsync(running, earlier.Id, third, At(21), Ct));
        Assert.False(await Store.AdoptAsync(999999, earlier.Id, later, At(11), Ct));

        Assert.Equal(RunState.Failed, (await GetAsync(finished)).State);
        Assert.Null((await GetAsync(finished)).AdoptedBy);
        Assert.Equal(RunState.Pending, (await GetAsync(pending)).State);
        Assert.Equal(later.Id, (await GetAsync(running)).IncarnationId);
    }

    [Fact]
    public async Task AdoptAsync_AdopterWithoutAValidLease_ChangesNothing()
    {
        var earlier = await StartAsync();
        var id = await InsertRunningAsync(earlier, "nightly", Slot(22));
        var later = await StartAsync(now: At(10));
        await Store.StopIncarnationAsync(later, clean: true, At(12), Ct);
        var expired = await StartAsync(now: At(20));

        Assert.False(await Store.AdoptAsync(id, earlier.Id, later, At(13), Ct));
        Assert.False(await Store.AdoptAsync(id, earlier.Id, expired, At(20) + Lease + TimeSpan.FromSeconds(1), Ct));

        var run = await GetAsync(id);
        Assert.Equal(earlier.Id, run.IncarnationId);
        Assert.Null(run.AdoptedBy);
        Assert.Null(run.AdoptedAt);
    }

    [Fact]
    public async Task AdoptAsync_AdoptedRunLaterInterruptedByItsAdopter_InterruptsWithTheAdopterAsOwner()
    {
        var earlier = await StartAsync();
        var id = await InsertRunningAsync(earlier, "nightly", Slot(22));
        var later = await StartAsync(now: At(10));
        Assert.True(await Store.AdoptAsync(id, earlier.Id, later, At(11), Ct));

        Assert.Equal(0, await Store.InterruptAsync([new Interruption { RunId = id, OwnerIncarnationId = earlier.Id, Reason = "process died while running" }], At(30), Ct));
        Assert.Equal(1, await Store.InterruptAsync([new Interruption { RunId = id, OwnerIncarnationId = later.Id, Reason = "run supervisor died before the command ended" }], At(30), Ct));

        Assert.Equal(RunState.Interrupted, (await GetAsync(id)).State);
    }
}
