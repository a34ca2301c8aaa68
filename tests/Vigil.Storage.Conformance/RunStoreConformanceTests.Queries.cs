using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    [Fact]
    public async Task ListRunningAsync_RunsOfSeveralNodes_ReturnsOnlyThatNodesRunningRuns()
    {
        var first = await StartAsync("node-a");
        var second = await StartAsync("node-a", At(1));
        var foreign = await StartAsync("node-b");
        var a = await InsertRunningAsync(first, "a", Slot(0));
        var b = await InsertRunningAsync(second, "b", Slot(0));
        await InsertRunningAsync(foreign, "c", Slot(0));
        var done = await InsertRunningAsync(first, "d", Slot(0));
        await Store.FinishAsync(done, first, new RunOutcome { State = RunState.Succeeded }, At(3), Ct);
        await InsertAsync(Run("e", Slot(0)));

        var running = await Store.ListRunningAsync("node-a", Ct);

        Assert.Equal([a, b], running.Select(r => r.Id).Order());
        Assert.All(running, r => Assert.Equal(RunState.Running, r.State));
    }

    [Fact]
    public async Task ListPendingAsync_DueBy_ReturnsDueAndUnsetOldestSlotFirst()
    {
        var late = await InsertAsync(Run("a", Slot(3)));
        var early = await InsertAsync(Run("b", Slot(1), notBefore: At(10)));
        var notYet = await InsertAsync(Run("c", Slot(0), notBefore: At(100)));
        var middle = await InsertAsync(Run("d", Slot(2), notBefore: At(50)));
        await InsertAsync(Run("e", Slot(0)) with { State = RunState.Skipped, Reason = "x" });

        var due = await Store.ListPendingAsync(At(50), 10, Ct);

        Assert.Equal([early, middle, late], due.Select(r => r.Id));
        Assert.DoesNotContain(notYet, due.Select(r => r.Id));
    }

    [Fact]
    public async Task ListRecentRunsAsync_SeveralJobs_EachJobsNewestRunsNewestFirstAndAnEmptyListForAJobWithout()
    {
        var ids = new Dictionary<string, List<long>> { ["a"] = [], ["b"] = [] };
        for (var i = 0; i < 4; i++)
        {
            ids["a"].Add(await InsertAsync(Run("a", Slot(i))));
            ids["b"].Add(await InsertAsync(Run("b", Slot(i))));
        }

        await InsertAsync(Run("c", Slot(0)));

        var recent = await Store.ListRecentRunsAsync(["a", "b", "none"], 3, Ct);

        Assert.Equal(3, recent.Count);
        Assert.Equal([ids["a"][3], ids["a"][2], ids["a"][1]], recent["a"].Select(r => r.Id));
        Assert.Equal([ids["b"][3], ids["b"][2], ids["b"][1]], recent["b"].Select(r => r.Id));
        Assert.All(recent["a"], r => Assert.Equal("a", r.Job));
        Assert.Empty(recent["none"]);
        Assert.False(recent.ContainsKey("c"));
    }

    [Fact]
    public async Task ListPendingAsync_Limit_ReturnsOldestSlots()
    {
        for (var i = 5; i >= 0; i--)
        {
            await InsertAsync(Run("a", Slot(i)));
        }

        var due = await Store.ListPendingAsync(At(0), 2, Ct);

        Assert.Equal([Slot(0), Slot(1)], due.Select(r => r.Slot));
    }

    [Fact]
    public async Task ListPendingAsync_ClaimedRun_NoLongerListed()
    {
        var owner = await StartAsync();
        await InsertRunningAsync(owner, "a", Slot(0));
        var waiting = await InsertAsync(Run("b", Slot(0)));

        Assert.Equal([waiting], (await Store.ListPendingAsync(At(5), 10, Ct)).Select(r => r.Id));
    }

    [Fact]
    public async Task GetNextPendingDueAsync_FutureNotBefores_ReturnsEarliestAfter()
    {
        await InsertAsync(Run("a", Slot(0), notBefore: At(10)));
        await InsertAsync(Run("b", Slot(0), notBefore: At(30)));
        await InsertAsync(Run("c", Slot(0), notBefore: At(20)));
        await InsertAsync(Run("d", Slot(0)));

        Assert.Equal(At(10), await Store.GetNextPendingDueAsync(At(0), Ct));
        Assert.Equal(At(20), await Store.GetNextPendingDueAsync(At(10), Ct));
        Assert.Null(await Store.GetNextPendingDueAsync(At(30), Ct));
    }

    [Fact]
    public async Task GetNextPendingDueAsync_OnlyResolvedRuns_ReturnsNull()
    {
        var id = await InsertAsync(Run("a", Slot(0), notBefore: At(10)));
        await Store.ResolvePendingAsync(id, RunState.Cancelled, "operator", At(1), Ct);

        Assert.Null(await Store.GetNextPendingDueAsync(At(0), Ct));
    }

    [Fact]
    public async Task GetLastSlotAsync_ScheduledAndManualRuns_ReturnsLatestNonManualSlot()
    {
        await InsertAsync(Run("nightly", Slot(1)));
        await InsertAsync(Run("nightly", Slot(2)) with { State = RunState.Missed, Reason = "down" });
        await InsertAsync(Run("nightly", Slot(9), trigger: RunTrigger.Manual));
        await InsertAsync(Run("other", Slot(5)));

        Assert.Equal(Slot(2), await Store.GetLastSlotAsync("nightly", Ct));
    }

    [Fact]
    public async Task GetLastSlotAsync_NoRuns_ReturnsNull()
    {
        await InsertAsync(Run("nightly", Slot(9), trigger: RunTrigger.Manual));

        Assert.Null(await Store.GetLastSlotAsync("nightly", Ct));
        Assert.Null(await Store.GetLastSlotAsync("nobody", Ct));
    }

    [Fact]
    public async Task GetLastSlotsAsync_SeveralJobs_ReturnsEachLatestNonManualSlotLikeGetLastSlot()
    {
        await Store.UpsertJobAsync(Job("nightly"), Ct);
        await Store.UpsertJobAsync(Job("hourly"), Ct);
        await Store.UpsertJobAsync(Job("manual-only"), Ct);
        await Store.UpsertJobAsync(Job("never-ran"), Ct);
        await InsertAsync(Run("nightly", Slot(1)));
        await InsertAsync(Run("nightly", Slot(2)) with { State = RunState.Missed, Reason = "down" });
        await InsertAsync(Run("nightly", Slot(9), trigger: RunTrigger.Manual));
        await InsertAsync(Run("hourly", Slot(3)));
        await InsertAsync(Run("hourly", Slot(3), attempt: 2, trigger: RunTrigger.Retry));
        await InsertAsync(Run("manual-only", Slot(4), trigger: RunTrigger.Manual));

        var slots = await Store.GetLastSlotsAsync(["nightly", "hourly", "manual-only", "never-ran", "unknown"], Ct);

        Assert.Equal(2, slots.Count);
        Assert.Equal(Slot(2), slots["nightly"]);
        Assert.Equal(Slot(3), slots["hourly"]);
        Assert.Empty(await Store.GetLastSlotsAsync([], Ct));
    }

    [Fact]
    public async Task GetLatestRunBeforeAsync_SeveralSlots_ReturnsLastAttemptOfLatestEarlierSlot()
    {
        await InsertAsync(Run("extract", Slot(1)));
        await InsertAsync(Run("extract", Slot(2)));
        var latest = await InsertAsync(Run("extract", Slot(2), attempt: 2));
        await InsertAsync(Run("extract", Slot(3)));
        await InsertAsync(Run("extract", Slot(2).AddMinutes(30), trigger: RunTrigger.Manual));

        var run = await Store.GetLatestRunBeforeAsync("extract", Slot(3), Ct);

        Assert.NotNull(run);
        Assert.Equal(latest, run.Id);
        Assert.Equal(2, run.Attempt);
    }

    [Fact]
    public async Task GetLatestRunBeforeAsync_NothingEarlier_ReturnsNull()
    {
        await InsertAsync(Run("extract", Slot(3)));
        await InsertAsync(Run("extract", Slot(1), trigger: RunTrigger.Manual));

        Assert.Null(await Store.GetLatestRunBeforeAsync("extract", Slot(3), Ct));
    }

    [Fact]
    public async Task ListAttemptsAsync_SeveralAttempts_InAttemptOrder()
    {
        await InsertAsync(Run("a", Slot(0), attempt: 3));
        await InsertAsync(Run("a", Slot(0), attempt: 1));
        await InsertAsync(Run("a", Slot(0), attempt: 2));
        await InsertAsync(Run("a", Slot(1)));

        Assert.Equal([1, 2, 3], (await Store.ListAttemptsAsync("a", Slot(0), Ct)).Select(r => r.Attempt));
        Assert.Empty(await Store.ListAttemptsAsync("a", Slot(5), Ct));
    }

    [Fact]
    public async Task CountRunningAsync_MixedStates_CountsOnlyRunningRunsOfJob()
    {
        var owner = await StartAsync();
        await InsertRunningAsync(owner, "a", Slot(0));
        await InsertRunningAsync(owner, "a", Slot(1));
        var done = await InsertRunningAsync(owner, "a", Slot(2));
        await Store.FinishAsync(done, owner, new RunOutcome { State = RunState.Failed }, At(3), Ct);
        await InsertAsync(Run("a", Slot(3)));
        await InsertRunningAsync(owner, "b", Slot(0));

        Assert.Equal(2, await Store.CountRunningAsync("a", Ct));
        Assert.Equal(0, await Store.CountRunningAsync("c", Ct));
    }

    [Fact]
    public async Task GetRunAsync_UnknownId_ReturnsNull()
    {
        Assert.Null(await Store.GetRunAsync(987654, Ct));
    }

    [Fact]
    public async Task ListRunsAsync_NoFilter_NewestFirstWithDefaultLimit()
    {
        var ids = new List<long>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await InsertAsync(Run("a", T0.AddMinutes(i))));
        }

        var runs = await Store.ListRunsAsync(new RunQuery(), Ct);

        Assert.Equal(100, runs.Count);
        Assert.Equal(ids.AsEnumerable().Reverse().Take(100), runs.Select(r => r.Id));
    }

    [Fact]
    public async Task ListRunsAsync_JobStateAndSince_FilterTogether()
    {
        var owner = await StartAsync();
        await InsertAsync(Run("a", Slot(0)));
        var match = await InsertAsync(Run("a", Slot(2)));
        await InsertAsync(Run("b", Slot(2)));
        await InsertRunningAsync(owner, "a", Slot(3));

        Assert.Equal(3, (await Store.ListRunsAsync(new RunQuery { Job = "a" }, Ct)).Count);
        Assert.Equal(2, (await Store.ListRunsAsync(new RunQuery { State = RunState.Pending, Since = Slot(1) }, Ct)).Count);
        var both = await Store.ListRunsAsync(new RunQuery { Job = "a", State = RunState.Pending, Since = Slot(1) }, Ct);
        Assert.Equal([match], both.Select(r => r.Id));
        Assert.Empty(await Store.ListRunsAsync(new RunQuery { Job = "a", State = RunState.Failed }, Ct));
    }

    [Fact]
    public async Task ListRunsAsync_BeforeIdAndLimit_PagesNewestFirst()
    {
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await InsertAsync(Run("a", Slot(i))));
        }

        var first = await Store.ListRunsAsync(new RunQuery { Limit = 3 }, Ct);
        var second = await Store.ListRunsAsync(new RunQuery { Limit = 3, BeforeId = first[^1].Id }, Ct);
        var third = await Store.ListRunsAsync(new RunQuery { Limit = 3, BeforeId = second[^1].Id }, Ct);

        Assert.Equal(ids.AsEnumerable().Reverse(), first.Concat(second).Concat(third).Select(r => r.Id));
        Assert.Single(third);
    }

    [Fact]
    public async Task GetLastRunsAsync_SeveralJobs_ReturnsLatestNonPendingRunOfEach()
    {
        var owner = await StartAsync();
        var oldA = await InsertRunningAsync(owner, "a", Slot(0));
        await Store.FinishAsync(oldA, owner, new RunOutcome { State = RunState.Succeeded }, At(2), Ct);
        var firstAttempt = await InsertRunningAsync(owner, "a", Slot(1));
        await Store.InterruptAsync([new Interruption { RunId = firstAttempt, OwnerIncarnationId = owner.Id, Reason = "died", RetryNotBefore = At(10) }], At(3), Ct);
        var retry = (await Store.ListAttemptsAsync("a", Slot(1), Ct))[1];
        Assert.Equal(ClaimResult.Claimed, await Store.ClaimAsync(retry.Id, owner, At(10), At(10) + Timeout, Ct));
        await InsertAsync(Run("a", Slot(2)));
        var skipped = await InsertAsync(Run("b", Slot(5)) with { State = RunState.Skipped, Reason = "paused" });
        await InsertAsync(Run("c", Slot(0)));

        var last = await Store.GetLastRunsAsync(Ct);

        Assert.Equal(["a", "b"], last.Keys.Order());
        Assert.Equal(retry.Id, last["a"].Id);
        Assert.Equal(RunState.Running, last["a"].State);
        Assert.Equal(skipped, last["b"].Id);
    }

    [Fact]
    public async Task GetLastRunsAsync_EmptyLedger_ReturnsEmpty()
    {
        Assert.Empty(await Store.GetLastRunsAsync(Ct));
    }
}
