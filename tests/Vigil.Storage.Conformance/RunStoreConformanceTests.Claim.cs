using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    [Fact]
    public async Task ClaimAsync_PendingAndDue_MarksRunningWithOwner()
    {
        var owner = await StartAsync();
        var id = await InsertAsync(Run("nightly", Slot(0), session: "main"));

        var result = await Store.ClaimAsync(id, owner, At(2), At(2) + Timeout, Ct);

        Assert.Equal(ClaimResult.Claimed, result);
        var run = await GetAsync(id);
        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(At(2), run.StartedAt);
        Assert.Equal(At(2) + Timeout, run.Deadline);
        Assert.Equal(owner.Id, run.IncarnationId);
        Assert.Equal(owner.Node, run.Node);
        Assert.False(run.Draining);
        Assert.Null(run.FinishedAt);
    }

    [Fact]
    public async Task ClaimAsync_NotBeforeInFuture_NotPendingUntilItPasses()
    {
        var owner = await StartAsync();
        var id = await InsertAsync(Run("nightly", Slot(0), notBefore: At(10)));

        Assert.Equal(ClaimResult.NotPending, await Store.ClaimAsync(id, owner, At(9), At(9) + Timeout, Ct));
        Assert.Equal(RunState.Pending, (await GetAsync(id)).State);
        Assert.Equal(ClaimResult.Claimed, await Store.ClaimAsync(id, owner, At(10), At(10) + Timeout, Ct));
    }

    [Fact]
    public async Task ClaimAsync_AlreadyRunning_ReturnsNotPending()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));

        Assert.Equal(ClaimResult.NotPending, await Store.ClaimAsync(id, owner, At(3), At(3) + Timeout, Ct));
    }

    [Fact]
    public async Task ClaimAsync_TerminalRun_ReturnsNotPending()
    {
        var owner = await StartAsync();
        var id = await InsertAsync(Run("nightly", Slot(0)));
        await Store.ResolvePendingAsync(id, RunState.Cancelled, "operator", At(1), Ct);

        Assert.Equal(ClaimResult.NotPending, await Store.ClaimAsync(id, owner, At(2), At(2) + Timeout, Ct));
        Assert.Equal(RunState.Cancelled, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task ClaimAsync_UnknownRun_ReturnsNotPending()
    {
        var owner = await StartAsync();

        Assert.Equal(ClaimResult.NotPending, await Store.ClaimAsync(123456, owner, At(2), At(2) + Timeout, Ct));
    }

    [Fact]
    public async Task ClaimAsync_SessionHeldByRunningRun_ReturnsSessionBusy()
    {
        var owner = await StartAsync();
        await InsertRunningAsync(owner, "heartbeat", Slot(0), session: "main");
        var next = await InsertAsync(Run("nightly", Slot(1), session: "main"));

        Assert.Equal(ClaimResult.SessionBusy, await Store.ClaimAsync(next, owner, At(3), At(3) + Timeout, Ct));
        Assert.Equal(RunState.Pending, (await GetAsync(next)).State);
    }

    [Fact]
    public async Task ClaimAsync_SessionReleasedByFinish_Claims()
    {
        var owner = await StartAsync();
        var first = await InsertRunningAsync(owner, "heartbeat", Slot(0), session: "main");
        var next = await InsertAsync(Run("nightly", Slot(1), session: "main"));
        Assert.Equal(ClaimResult.SessionBusy, await Store.ClaimAsync(next, owner, At(3), At(3) + Timeout, Ct));

        Assert.True(await Store.FinishAsync(first, owner, new RunOutcome { State = RunState.Succeeded }, At(4), Ct));

        Assert.Equal(ClaimResult.Claimed, await Store.ClaimAsync(next, owner, At(5), At(5) + Timeout, Ct));
    }

    [Fact]
    public async Task ClaimAsync_SessionHeldByAnotherIncarnation_ReturnsSessionBusy()
    {
        var owner = await StartAsync();
        var other = await StartAsync("node-b");
        await InsertRunningAsync(other, "heartbeat", Slot(0), session: "main");
        var next = await InsertAsync(Run("heartbeat", Slot(1), session: "main"));

        Assert.Equal(ClaimResult.SessionBusy, await Store.ClaimAsync(next, owner, At(3), At(3) + Timeout, Ct));
    }

    [Fact]
    public async Task ClaimAsync_DifferentSessionsOrNone_ClaimTogether()
    {
        var owner = await StartAsync();
        await InsertRunningAsync(owner, "a", Slot(0), session: "one");
        await InsertRunningAsync(owner, "b", Slot(0), session: "two");
        await InsertRunningAsync(owner, "c", Slot(0));
        await InsertRunningAsync(owner, "d", Slot(0));

        Assert.Equal(4, (await Store.ListRunningAsync("node-a", Ct)).Count);
    }

    [Fact]
    public async Task ClaimAsync_LeaseExpired_ReturnsLeaseLostAndLeavesRunPending()
    {
        var owner = await StartAsync(now: At(0));
        var id = await InsertAsync(Run("nightly", Slot(0)));
        var pastLease = At(0) + Lease + TimeSpan.FromSeconds(1);

        Assert.Equal(ClaimResult.LeaseLost, await Store.ClaimAsync(id, owner, pastLease, pastLease + Timeout, Ct));

        Assert.Equal(RunState.Pending, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task ClaimAsync_AtLeaseExpiry_ReturnsLeaseLost()
    {
        var owner = await StartAsync(now: At(0));
        var id = await InsertAsync(Run("nightly", Slot(0)));

        Assert.Equal(ClaimResult.LeaseLost, await Store.ClaimAsync(id, owner, At(0) + Lease, At(0) + Lease + Timeout, Ct));
    }

    [Fact]
    public async Task ClaimAsync_LeaseRenewed_ClaimsPastTheFirstExpiry()
    {
        var owner = await StartAsync(now: At(0));
        var id = await InsertAsync(Run("nightly", Slot(0)));
        Assert.True(await Store.RenewLeaseAsync(owner, At(20), Lease, Ct));

        Assert.Equal(ClaimResult.Claimed, await Store.ClaimAsync(id, owner, At(40), At(40) + Timeout, Ct));
    }

    [Fact]
    public async Task ClaimAsync_AfterStopIncarnation_ReturnsLeaseLost()
    {
        var owner = await StartAsync(now: At(0));
        var id = await InsertAsync(Run("nightly", Slot(0)));
        await Store.StopIncarnationAsync(owner, clean: true, At(2), Ct);

        Assert.Equal(ClaimResult.LeaseLost, await Store.ClaimAsync(id, owner, At(3), At(3) + Timeout, Ct));
        Assert.Equal(RunState.Pending, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task ClaimAsync_StaleEpoch_ReturnsLeaseLost()
    {
        var owner = await StartAsync(now: At(0));
        var id = await InsertAsync(Run("nightly", Slot(0)));

        Assert.Equal(ClaimResult.LeaseLost, await Store.ClaimAsync(id, owner with { Epoch = owner.Epoch + 1 }, At(3), At(3) + Timeout, Ct));
    }

    [Fact]
    public async Task ClaimAsync_LeaseLostAndNotPending_ReportsLeaseLostFirst()
    {
        var owner = await StartAsync(now: At(0));
        var id = await InsertAsync(Run("nightly", Slot(0)));
        await Store.ResolvePendingAsync(id, RunState.Skipped, "paused", At(1), Ct);
        await Store.StopIncarnationAsync(owner, clean: false, At(2), Ct);

        Assert.Equal(ClaimResult.LeaseLost, await Store.ClaimAsync(id, owner, At(3), At(3) + Timeout, Ct));
    }
}
