using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    [Fact]
    public async Task MigrateAsync_RunAgain_IsNoOpAndKeepsData()
    {
        var id = await InsertAsync(Run("job", Slot(0)));

        await Store.MigrateAsync(Ct);
        await Store.MigrateAsync(Ct);

        Assert.Equal(RunState.Pending, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task StartIncarnationAsync_TwoStarts_ReturnIncreasingIdsAtEpochOne()
    {
        var first = await Store.StartIncarnationAsync("node-a", 100, At(0), Lease, Ct);
        var second = await Store.StartIncarnationAsync("node-a", 101, At(5), Lease, Ct);

        Assert.True(second.Id > first.Id);
        Assert.Equal(new Incarnation { Id = first.Id, Node = "node-a", Pid = 100, StartedAt = At(0), Epoch = first.Epoch }, first);
        Assert.Equal(101, second.Pid);
        Assert.Equal(At(5), second.StartedAt);
    }

    [Fact]
    public async Task StartIncarnationAsync_New_ListedWithHeartbeatAndLease()
    {
        var owner = await StartAsync(now: At(0));

        var record = Assert.Single(await Store.ListIncarnationsAsync("node-a", T0, Ct));

        Assert.Equal(owner, record.Incarnation);
        Assert.Equal(At(0), record.HeartbeatAt);
        Assert.Equal(At(0) + Lease, record.LeaseExpiresAt);
        Assert.Null(record.DrainingAt);
        Assert.Null(record.StoppedAt);
        Assert.False(record.CleanStop);
    }

    [Fact]
    public async Task RenewLeaseAsync_ValidLease_ExtendsExpiryAndHeartbeat()
    {
        var owner = await StartAsync(now: At(0));

        Assert.True(await Store.RenewLeaseAsync(owner, At(10), Lease, Ct));

        var record = Assert.Single(await Store.ListIncarnationsAsync("node-a", T0, Ct));
        Assert.Equal(At(10), record.HeartbeatAt);
        Assert.Equal(At(10) + Lease, record.LeaseExpiresAt);
    }

    [Fact]
    public async Task RenewLeaseAsync_AfterLeaseExpired_ReturnsFalse()
    {
        var owner = await StartAsync(now: At(0));

        Assert.False(await Store.RenewLeaseAsync(owner, At(0) + Lease + TimeSpan.FromSeconds(1), Lease, Ct));
    }

    [Fact]
    public async Task RenewLeaseAsync_AfterStop_ReturnsFalse()
    {
        var owner = await StartAsync(now: At(0));
        await Store.StopIncarnationAsync(owner, clean: true, At(5), Ct);

        Assert.False(await Store.RenewLeaseAsync(owner, At(6), Lease, Ct));
    }

    [Fact]
    public async Task RenewLeaseAsync_StaleEpoch_ReturnsFalse()
    {
        var owner = await StartAsync(now: At(0));

        Assert.False(await Store.RenewLeaseAsync(owner with { Epoch = owner.Epoch + 1 }, At(5), Lease, Ct));
    }

    [Fact]
    public async Task RenewLeaseAsync_UnknownIncarnation_ReturnsFalse()
    {
        var owner = await StartAsync(now: At(0));

        Assert.False(await Store.RenewLeaseAsync(owner with { Id = owner.Id + 1000 }, At(5), Lease, Ct));
    }

    [Fact]
    public async Task StopIncarnationAsync_Clean_RecordsStopAndReleasesLease()
    {
        var owner = await StartAsync(now: At(0));

        await Store.StopIncarnationAsync(owner, clean: true, At(7), Ct);

        var record = Assert.Single(await Store.ListIncarnationsAsync("node-a", T0, Ct));
        Assert.Equal(At(7), record.StoppedAt);
        Assert.True(record.CleanStop);
        Assert.True(record.LeaseExpiresAt <= At(7));
    }

    [Fact]
    public async Task StopIncarnationAsync_Unclean_RecordsStopWithoutCleanFlag()
    {
        var owner = await StartAsync(now: At(0));

        await Store.StopIncarnationAsync(owner, clean: false, At(3), Ct);

        var record = Assert.Single(await Store.ListIncarnationsAsync("node-a", T0, Ct));
        Assert.Equal(At(3), record.StoppedAt);
        Assert.False(record.CleanStop);
    }

    [Fact]
    public async Task ListIncarnationsAsync_NodeAndSince_FiltersOldestFirst()
    {
        var early = await Store.StartIncarnationAsync("node-a", 1, At(0), Lease, Ct);
        var later = await Store.StartIncarnationAsync("node-a", 2, At(20), Lease, Ct);
        await Store.StartIncarnationAsync("node-b", 3, At(10), Lease, Ct);
        var latest = await Store.StartIncarnationAsync("node-a", 4, At(40), Lease, Ct);

        var all = await Store.ListIncarnationsAsync("node-a", T0, Ct);
        var recent = await Store.ListIncarnationsAsync("node-a", At(20), Ct);

        Assert.Equal([early.Id, later.Id, latest.Id], all.Select(r => r.Incarnation.Id));
        Assert.Equal([later.Id, latest.Id], recent.Select(r => r.Incarnation.Id));
        Assert.Empty(await Store.ListIncarnationsAsync("node-c", T0, Ct));
    }

    [Fact]
    public async Task BeginDrainAsync_RunningRuns_MarksEachRunAndTheIncarnation()
    {
        var owner = await StartAsync();
        var other = await StartAsync("node-b");
        var first = await InsertRunningAsync(owner, "a", Slot(0));
        var second = await InsertRunningAsync(owner, "b", Slot(0));
        var foreign = await InsertRunningAsync(other, "c", Slot(0));
        var pending = await InsertAsync(Run("d", Slot(0)));

        var marked = await Store.BeginDrainAsync(owner, At(2), Ct);

        Assert.Equal(2, marked);
        Assert.True((await GetAsync(first)).Draining);
        Assert.True((await GetAsync(second)).Draining);
        Assert.False((await GetAsync(foreign)).Draining);
        Assert.False((await GetAsync(pending)).Draining);
        var record = Assert.Single(await Store.ListIncarnationsAsync("node-a", T0, Ct));
        Assert.Equal(At(2), record.DrainingAt);
        Assert.Null(Assert.Single(await Store.ListIncarnationsAsync("node-b", T0, Ct)).DrainingAt);
    }

    [Fact]
    public async Task BeginDrainAsync_NothingRunning_ReturnsZeroAndMarksIncarnation()
    {
        var owner = await StartAsync();

        Assert.Equal(0, await Store.BeginDrainAsync(owner, At(2), Ct));

        Assert.Equal(At(2), Assert.Single(await Store.ListIncarnationsAsync("node-a", T0, Ct)).DrainingAt);
    }

    [Fact]
    public async Task BeginDrainAsync_FinishedRuns_AreNotMarked()
    {
        var owner = await StartAsync();
        var done = await InsertRunningAsync(owner, "a", Slot(0));
        Assert.True(await Store.FinishAsync(done, owner, new RunOutcome { State = RunState.Succeeded }, At(2), Ct));

        Assert.Equal(0, await Store.BeginDrainAsync(owner, At(3), Ct));

        Assert.False((await GetAsync(done)).Draining);
    }

    [Fact]
    public async Task ClaimAsync_OwnerDraining_ClaimedRunCarriesDrainMark()
    {
        var owner = await StartAsync();
        await Store.BeginDrainAsync(owner, At(1), Ct);
        var id = await InsertAsync(Run("a", Slot(0)));

        Assert.Equal(ClaimResult.Claimed, await Store.ClaimAsync(id, owner, At(2), At(2) + Timeout, Ct));

        Assert.True((await GetAsync(id)).Draining);
    }
}
