using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    [Fact]
    public async Task InterruptAsync_RunningUnderOwnerWithRetry_MarksInterruptedAndInsertsNextAttempt()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(22), session: "main");

        var applied = await Store.InterruptAsync(
            [new Interruption { RunId = id, OwnerIncarnationId = owner.Id, Reason = "process died while running", RetryNotBefore = At(60) }],
            At(30),
            Ct);

        Assert.Equal(1, applied);
        var attempts = await Store.ListAttemptsAsync("nightly", Slot(22), Ct);
        Assert.Equal(2, attempts.Count);
        var interrupted = attempts[0];
        Assert.Equal(id, interrupted.Id);
        Assert.Equal(RunState.Interrupted, interrupted.State);
        Assert.Equal("process died while running", interrupted.Reason);
        Assert.Equal(At(30), interrupted.FinishedAt);
        var retry = attempts[1];
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(RunState.Pending, retry.State);
        Assert.Equal(RunTrigger.Retry, retry.Trigger);
        Assert.True(retry.Resumed);
        Assert.Equal(At(60), retry.NotBefore);
        Assert.Equal("main", retry.Session);
        Assert.Equal(At(30), retry.CreatedAt);
    }

    [Fact]
    public async Task InterruptAsync_WithoutRetry_InsertsNoAttempt()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "heartbeat", Slot(1));

        Assert.Equal(1, await Store.InterruptAsync([new Interruption { RunId = id, OwnerIncarnationId = owner.Id, Reason = "drain timed out" }], At(30), Ct));

        var only = Assert.Single(await Store.ListAttemptsAsync("heartbeat", Slot(1), Ct));
        Assert.Equal(RunState.Interrupted, only.State);
    }

    [Fact]
    public async Task InterruptAsync_MixedItems_AppliesOnlyToRunsStillRunningUnderExpectedOwner()
    {
        var owner = await StartAsync();
        var other = await StartAsync("node-b");
        var mine = await InsertRunningAsync(owner, "a", Slot(0));
        var theirs = await InsertRunningAsync(other, "b", Slot(0));
        var finished = await InsertRunningAsync(owner, "c", Slot(0));
        await Store.FinishAsync(finished, owner, new RunOutcome { State = RunState.Succeeded }, At(2), Ct);
        var pending = await InsertAsync(Run("d", Slot(0)));
        Interruption Item(long id) => new() { RunId = id, OwnerIncarnationId = owner.Id, Reason = "process died while running", RetryNotBefore = At(60) };

        var applied = await Store.InterruptAsync([Item(mine), Item(theirs), Item(finished), Item(pending), Item(999999)], At(30), Ct);

        Assert.Equal(1, applied);
        Assert.Equal(RunState.Interrupted, (await GetAsync(mine)).State);
        Assert.Equal(RunState.Running, (await GetAsync(theirs)).State);
        Assert.Equal(RunState.Succeeded, (await GetAsync(finished)).State);
        Assert.Equal(RunState.Pending, (await GetAsync(pending)).State);
        Assert.Equal(2, (await Store.ListAttemptsAsync("a", Slot(0), Ct)).Count);
        Assert.Single(await Store.ListAttemptsAsync("b", Slot(0), Ct));
        Assert.Single(await Store.ListAttemptsAsync("c", Slot(0), Ct));
        Assert.Single(await Store.ListAttemptsAsync("d", Slot(0), Ct));
    }

    [Fact]
    public async Task InterruptAsync_SameItemTwice_SecondDoesNothing()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));
        var item = new Interruption { RunId = id, OwnerIncarnationId = owner.Id, Reason = "died", RetryNotBefore = At(60) };

        Assert.Equal(1, await Store.InterruptAsync([item], At(30), Ct));
        Assert.Equal(0, await Store.InterruptAsync([item], At(31), Ct));

        Assert.Equal(2, (await Store.ListAttemptsAsync("nightly", Slot(0), Ct)).Count);
    }

    [Fact]
    public async Task InterruptAsync_ManyRuns_AppliesAllAndReleasesSessions()
    {
        var owner = await StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await InsertRunningAsync(owner, "job-" + i, Slot(0), session: "s" + i));
        }

        var applied = await Store.InterruptAsync(
            [.. ids.Select(id => new Interruption { RunId = id, OwnerIncarnationId = owner.Id, Reason = "died", RetryNotBefore = At(40) })],
            At(30),
            Ct);

        Assert.Equal(5, applied);
        Assert.Empty(await Store.ListRunningAsync("node-a", Ct));
        var retries = await Store.ListPendingAsync(At(40), 100, Ct);
        Assert.Equal(5, retries.Count);
        var next = await StartAsync(now: At(40));
        foreach (var retry in retries)
        {
            Assert.Equal(ClaimResult.Claimed, await Store.ClaimAsync(retry.Id, next, At(41), At(41) + Timeout, Ct));
        }
    }

    [Fact]
    public async Task InterruptAsync_EmptyList_ReturnsZero()
    {
        Assert.Equal(0, await Store.InterruptAsync([], At(30), Ct));
    }
}
