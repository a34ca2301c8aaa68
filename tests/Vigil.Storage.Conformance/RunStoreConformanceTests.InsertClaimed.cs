using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    [Fact]
    public async Task InsertClaimedAsync_NewSlot_OneRowRunningWithOwnerStartAndDeadline()
    {
        var owner = await StartAsync();
        var startedAt = At(2).AddMilliseconds(50);

        var result = await Store.InsertClaimedAsync(Run("nightly", Slot(0)), owner, startedAt, startedAt + Timeout, At(2), Ct);

        Assert.Equal(ClaimResult.Claimed, result.Result);
        var run = await GetAsync(result.RunId);
        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(("nightly", Slot(0), 1, RunTrigger.Schedule), (run.Job, run.Slot, run.Attempt, run.Trigger));
        Assert.Equal(startedAt, run.StartedAt);
        Assert.Equal(startedAt + Timeout, run.Deadline);
        Assert.Equal(At(2), run.CreatedAt);
        Assert.Equal(owner.Id, run.IncarnationId);
        Assert.Equal(owner.Node, run.Node);
        Assert.False(run.Draining);
        Assert.Null(run.FinishedAt);
        Assert.Single(await Store.ListRunningAsync("node-a", Ct));
        Assert.Empty(await Store.ListPendingAsync(At(3), 10, Ct));
    }

    [Fact]
    public async Task InsertClaimedAsync_SlotAlreadyHasARow_NotPendingAndTheRowIsUntouched()
    {
        var owner = await StartAsync();
        var id = await InsertAsync(Run("nightly", Slot(0)));

        var result = await Store.InsertClaimedAsync(Run("nightly", Slot(0)), owner, At(2), At(2) + Timeout, At(2), Ct);

        Assert.Equal(ClaimResult.NotPending, result.Result);
        Assert.Equal(RunState.Pending, (await GetAsync(id)).State);
        Assert.Equal(ClaimResult.Claimed, await Store.ClaimAsync(id, owner, At(3), At(3) + Timeout, Ct));
    }

    [Fact]
    public async Task InsertClaimedAsync_LeaseExpired_LeaseLostAndNothingWritten()
    {
        var owner = await StartAsync(now: At(0));
        var pastLease = At(0) + Lease + TimeSpan.FromSeconds(1);

        var result = await Store.InsertClaimedAsync(Run("nightly", Slot(0)), owner, pastLease, pastLease + Timeout, pastLease, Ct);

        Assert.Equal(ClaimResult.LeaseLost, result.Result);
        Assert.Null(await Store.GetLastSlotAsync("nightly", Ct));
        Assert.Equal(ClaimResult.LeaseLost, (await Store.InsertClaimedAsync(Run("nightly", Slot(0)), owner, At(0) + Lease, At(0) + Lease + Timeout, At(0) + Lease, Ct)).Result);
    }

    [Fact]
    public async Task InsertClaimedAsync_StoppedIncarnation_LeaseLost()
    {
        var owner = await StartAsync();
        await Store.StopIncarnationAsync(owner, clean: true, At(1), Ct);

        Assert.Equal(ClaimResult.LeaseLost, (await Store.InsertClaimedAsync(Run("nightly", Slot(0)), owner, At(2), At(2) + Timeout, At(2), Ct)).Result);
    }

    [Fact]
    public async Task InsertClaimedAsync_DrainingOwner_RunCarriesTheDrainMark()
    {
        var owner = await StartAsync();
        await Store.BeginDrainAsync(owner, At(1), Ct);

        var result = await Store.InsertClaimedAsync(Run("nightly", Slot(0)), owner, At(2), At(2) + Timeout, At(2), Ct);

        Assert.Equal(ClaimResult.Claimed, result.Result);
        Assert.True((await GetAsync(result.RunId)).Draining);
    }

    [Fact]
    public async Task InsertClaimedAsync_SessionHeldByRunningRun_SessionBusyAndNothingWritten()
    {
        var owner = await StartAsync();
        await InsertRunningAsync(owner, "other", Slot(0), session: "main");

        var result = await Store.InsertClaimedAsync(Run("nightly", Slot(0), session: "main"), owner, At(2), At(2) + Timeout, At(2), Ct);

        Assert.Equal(ClaimResult.SessionBusy, result.Result);
        Assert.Null(await Store.GetLastSlotAsync("nightly", Ct));
    }

    [Fact]
    public async Task InsertClaimedAsync_ThenFinish_LikeAClaimedRun()
    {
        var owner = await StartAsync();
        var result = await Store.InsertClaimedAsync(Run("nightly", Slot(0)), owner, At(2), At(2) + Timeout, At(2), Ct);

        Assert.True(await Store.FinishAsync(result.RunId, owner, new RunOutcome { State = RunState.Succeeded, ExitCode = 0 }, At(5), Ct));

        var run = await GetAsync(result.RunId);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(At(5), run.FinishedAt);
        Assert.Equal(Slot(0), await Store.GetLastSlotAsync("nightly", Ct));
    }
}
