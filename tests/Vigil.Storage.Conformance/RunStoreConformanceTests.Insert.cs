using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    [Fact]
    public async Task InsertRunAsync_NewSlot_StoresPendingRowAsGiven()
    {
        var run = new NewRun
        {
            Job = "nightly",
            Slot = Slot(22),
            Attempt = 2,
            Trigger = RunTrigger.CatchUp,
            NotBefore = At(90),
            Session = "main",
            Resumed = true,
        };

        var id = await InsertAsync(run, now: At(3));

        var stored = await GetAsync(id);
        Assert.Equal(
            new RunRecord
            {
                Id = id,
                Job = "nightly",
                Slot = Slot(22),
                Attempt = 2,
                State = RunState.Pending,
                Trigger = RunTrigger.CatchUp,
                CreatedAt = At(3),
                NotBefore = At(90),
                Session = "main",
                Resumed = true,
            },
            stored);
    }

    [Fact]
    public async Task InsertRunAsync_SameJobSlotAttempt_ReturnsNullAndKeepsOneRow()
    {
        var first = await Store.InsertRunAsync(Run("nightly", Slot(0)), At(0), Ct);

        var second = await Store.InsertRunAsync(Run("nightly", Slot(0)) with { Trigger = RunTrigger.CatchUp }, At(5), Ct);

        Assert.NotNull(first);
        Assert.Null(second);
        var row = Assert.Single(await Store.ListAttemptsAsync("nightly", Slot(0), Ct));
        Assert.Equal(first, row.Id);
        Assert.Equal(RunTrigger.Schedule, row.Trigger);
        Assert.Equal(At(0), row.CreatedAt);
    }

    [Fact]
    public async Task InsertRunAsync_SameSlotOtherAttemptOrJob_InsertsEach()
    {
        var first = await InsertAsync(Run("nightly", Slot(0)));
        var retry = await InsertAsync(Run("nightly", Slot(0), attempt: 2));
        var otherJob = await InsertAsync(Run("hourly", Slot(0)));
        var otherSlot = await InsertAsync(Run("nightly", Slot(1)));

        Assert.Equal(4, new[] { first, retry, otherJob, otherSlot }.Distinct().Count());
    }

    [Theory]
    [InlineData(RunState.Skipped)]
    [InlineData(RunState.Missed)]
    public async Task InsertRunAsync_RecordedSkipOrMiss_StoredTerminalWithReason(RunState state)
    {
        var id = await InsertAsync(Run("nightly", Slot(0)) with { State = state, Reason = "previous run still active" }, now: At(4));

        var stored = await GetAsync(id);
        Assert.Equal(state, stored.State);
        Assert.Equal("previous run still active", stored.Reason);
        Assert.Equal(At(4), stored.FinishedAt);
        Assert.Null(stored.StartedAt);
        Assert.Empty(await Store.ListPendingAsync(Slot(100), 10, Ct));
    }

    [Theory]
    [InlineData(RunState.Running)]
    [InlineData(RunState.Succeeded)]
    public async Task InsertRunAsync_StateOtherThanPendingSkippedMissed_Throws(RunState state)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertRunAsync(Run("nightly", Slot(0)) with { State = state }, At(0), Ct));
    }
}
