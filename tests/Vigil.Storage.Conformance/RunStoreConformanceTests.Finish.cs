using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    private static readonly RunOutcome Succeeded = new() { State = RunState.Succeeded, ExitCode = 0 };

    [Fact]
    public async Task FinishAsync_Owner_RecordsOutcomeAndOutput()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0), session: "main");
        var outcome = new RunOutcome
        {
            State = RunState.Failed,
            Reason = "exit code 3",
            ExitCode = 3,
            Output = "line 1\nline 2\n",
            ResultStatus = "failed",
            Summary = "could not reach the model",
            TokensIn = 1200,
            TokensOut = 34,
        };

        Assert.True(await Store.FinishAsync(id, owner, outcome, At(50), Ct));

        var run = await GetAsync(id);
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal("exit code 3", run.Reason);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(At(50), run.FinishedAt);
        Assert.Equal(At(1), run.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(49), run.Duration);
        Assert.Equal("failed", run.ResultStatus);
        Assert.Equal("could not reach the model", run.Summary);
        Assert.Equal(1200, run.TokensIn);
        Assert.Equal(34, run.TokensOut);
        Assert.Equal(owner.Id, run.IncarnationId);
        Assert.Equal("line 1\nline 2\n", await Store.GetRunOutputAsync(id, Ct));
    }

    [Fact]
    public async Task FinishAsync_EmptyOutput_RecordsOutcomeWithNoOutput()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));

        Assert.True(await Store.FinishAsync(id, owner, Succeeded with { Output = string.Empty }, At(5), Ct));

        Assert.Equal(RunState.Succeeded, (await GetAsync(id)).State);
        Assert.Null(await Store.GetRunOutputAsync(id, Ct));
    }

    [Theory]
    [InlineData(RunState.Succeeded)]
    [InlineData(RunState.Failed)]
    [InlineData(RunState.TimedOut)]
    [InlineData(RunState.Cancelled)]
    [InlineData(RunState.Interrupted)]
    public async Task FinishAsync_EachTerminalOutcome_IsStored(RunState state)
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));

        Assert.True(await Store.FinishAsync(id, owner, new RunOutcome { State = state, Reason = "why" }, At(5), Ct));

        Assert.Equal(state, (await GetAsync(id)).State);
        Assert.Equal(0, await Store.CountRunningAsync("nightly", Ct));
    }

    [Fact]
    public async Task FinishAsync_DifferentIncarnation_ReturnsFalseAndLeavesRowUnchanged()
    {
        var owner = await StartAsync();
        var intruder = await StartAsync("node-b");
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));
        var before = await GetAsync(id);

        Assert.False(await Store.FinishAsync(id, intruder, Succeeded with { Output = "not mine" }, At(5), Ct));

        Assert.Equal(before, await GetAsync(id));
        Assert.Null(await Store.GetRunOutputAsync(id, Ct));
    }

    [Fact]
    public async Task FinishAsync_StaleEpoch_ReturnsFalseAndLeavesRowUnchanged()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));
        var before = await GetAsync(id);

        Assert.False(await Store.FinishAsync(id, owner with { Epoch = owner.Epoch + 1 }, Succeeded, At(5), Ct));

        Assert.Equal(before, await GetAsync(id));
    }

    [Fact]
    public async Task FinishAsync_Twice_SecondReturnsFalseAndKeepsFirstOutcome()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));

        Assert.True(await Store.FinishAsync(id, owner, Succeeded with { Output = "first" }, At(5), Ct));
        Assert.False(await Store.FinishAsync(id, owner, new RunOutcome { State = RunState.Failed, Output = "second" }, At(6), Ct));

        var run = await GetAsync(id);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(At(5), run.FinishedAt);
        Assert.Equal("first", await Store.GetRunOutputAsync(id, Ct));
    }

    [Fact]
    public async Task FinishAsync_PendingRun_ReturnsFalse()
    {
        var owner = await StartAsync();
        var id = await InsertAsync(Run("nightly", Slot(0)));

        Assert.False(await Store.FinishAsync(id, owner, Succeeded, At(5), Ct));

        Assert.Equal(RunState.Pending, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task FinishAsync_AfterInterruptedByRecovery_ReturnsFalse()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));
        await Store.InterruptAsync([new Interruption { RunId = id, OwnerIncarnationId = owner.Id, Reason = "process died while running" }], At(9), Ct);

        Assert.False(await Store.FinishAsync(id, owner, Succeeded, At(10), Ct));

        Assert.Equal(RunState.Interrupted, (await GetAsync(id)).State);
    }

    [Theory]
    [InlineData(RunState.Pending)]
    [InlineData(RunState.Running)]
    [InlineData(RunState.Skipped)]
    public async Task FinishAsync_NotAnOutcomeState_Throws(RunState state)
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));

        await Assert.ThrowsAsync<ArgumentException>(() => Store.FinishAsync(id, owner, new RunOutcome { State = state }, At(5), Ct));
    }

    [Fact]
    public async Task GetRunOutputAsync_FinishedWithoutOutput_ReturnsNull()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));
        await Store.FinishAsync(id, owner, Succeeded, At(5), Ct);

        Assert.Null(await Store.GetRunOutputAsync(id, Ct));
        Assert.Null(await Store.GetRunOutputAsync(id + 1000, Ct));
    }

    [Fact]
    public async Task ResolvePendingAsync_Pending_RecordsStateReasonAndFinish()
    {
        var id = await InsertAsync(Run("nightly", Slot(0)));

        Assert.True(await Store.ResolvePendingAsync(id, RunState.Skipped, "upstream extract failed", At(7), Ct));

        var run = await GetAsync(id);
        Assert.Equal(RunState.Skipped, run.State);
        Assert.Equal("upstream extract failed", run.Reason);
        Assert.Equal(At(7), run.FinishedAt);
    }

    [Theory]
    [InlineData(RunState.Skipped)]
    [InlineData(RunState.Missed)]
    [InlineData(RunState.Cancelled)]
    public async Task ResolvePendingAsync_EachResolution_IsStored(RunState state)
    {
        var id = await InsertAsync(Run("nightly", Slot(0)));

        Assert.True(await Store.ResolvePendingAsync(id, state, "because", At(7), Ct));

        Assert.Equal(state, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task ResolvePendingAsync_RunningRun_ReturnsFalseAndLeavesIt()
    {
        var owner = await StartAsync();
        var id = await InsertRunningAsync(owner, "nightly", Slot(0));

        Assert.False(await Store.ResolvePendingAsync(id, RunState.Cancelled, "operator", At(7), Ct));

        Assert.Equal(RunState.Running, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task ResolvePendingAsync_Twice_SecondReturnsFalse()
    {
        var id = await InsertAsync(Run("nightly", Slot(0)));

        Assert.True(await Store.ResolvePendingAsync(id, RunState.Missed, "daemon was down", At(7), Ct));
        Assert.False(await Store.ResolvePendingAsync(id, RunState.Skipped, "again", At(8), Ct));

        Assert.Equal("daemon was down", (await GetAsync(id)).Reason);
    }

    [Fact]
    public async Task ResolvePendingAsync_UnknownRun_ReturnsFalse()
    {
        Assert.False(await Store.ResolvePendingAsync(424242, RunState.Skipped, "nothing", At(7), Ct));
    }

    [Theory]
    [InlineData(RunState.Running)]
    [InlineData(RunState.Succeeded)]
    public async Task ResolvePendingAsync_NotAResolutionState_Throws(RunState state)
    {
        var id = await InsertAsync(Run("nightly", Slot(0)));

        await Assert.ThrowsAsync<ArgumentException>(() => Store.ResolvePendingAsync(id, state, "x", At(7), Ct));
    }
}
