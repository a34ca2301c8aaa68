using System.Collections.Concurrent;
using System.Diagnostics;
using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    [Fact]
    public async Task DisposeAsync_AcknowledgedWrites_VisibleAfterReopen()
    {
        await Store.UpsertJobAsync(Job("nightly"), Ct);
        await Store.SetJobPausedAsync("nightly", true, At(1), Ct);
        var owner = await StartAsync();
        var finished = await InsertRunningAsync(owner, "nightly", Slot(0));
        await Store.FinishAsync(finished, owner, new RunOutcome { State = RunState.Succeeded, ExitCode = 0, Output = "done" }, At(5), Ct);
        var running = await InsertRunningAsync(owner, "nightly", Slot(1), session: "main");
        var pending = await InsertAsync(Run("nightly", Slot(2), notBefore: At(99)));
        await Store.BeginDrainAsync(owner, At(6), Ct);
        var before = await Store.ListRunsAsync(new RunQuery(), Ct);

        await ReopenAsync();

        Assert.Equal(before, await Store.ListRunsAsync(new RunQuery(), Ct));
        Assert.True((await Store.GetJobAsync("nightly", Ct))!.Paused);
        Assert.Equal("done", await Store.GetRunOutputAsync(finished, Ct));
        Assert.True((await GetAsync(running)).Draining);
        Assert.Equal(At(99), (await GetAsync(pending)).NotBefore);
        Assert.Equal(At(6), Assert.Single(await Store.ListIncarnationsAsync("node-a", T0, Ct)).DrainingAt);
        Assert.Equal(ClaimResult.SessionBusy, await Store.ClaimAsync(
            await InsertAsync(Run("other", Slot(1), session: "main")), owner, At(7), At(7) + Timeout, Ct));
    }

    [Fact]
    public async Task DisposeAsync_WritesStillQueued_CommitsThemBeforeClosing()
    {
        var inserts = Enumerable.Range(0, 200).Select(i => Store.InsertRunAsync(Run("a", T0.AddMinutes(i)), At(0), Ct)).ToList();

        await ReopenAsync();

        var ids = await Task.WhenAll(inserts);
        Assert.All(ids, id => Assert.NotNull(id));
        Assert.Equal(200, (await Store.ListRunsAsync(new RunQuery { Job = "a", Limit = 1000 }, Ct)).Count);
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmless()
    {
        await Store.DisposeAsync();
        await Store.DisposeAsync();
    }

    [Fact]
    public async Task AnyMethod_AfterDispose_ThrowsObjectDisposed()
    {
        await Store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.InsertRunAsync(Run("a", Slot(0)), At(0), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.GetRunAsync(1, Ct));
    }

    [Fact]
    public async Task AnyMethod_CancelledToken_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.InsertRunAsync(Run("a", Slot(0)), At(0), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ListRunsAsync(new RunQuery(), cancelled.Token));
        Assert.Empty(await Store.ListRunsAsync(new RunQuery(), Ct));
    }

    /// <summary>
    /// 16 workers each insert, claim and finish their own runs as fast as the store lets them.
    /// Every step must succeed exactly once, and a backend that counts commits must show that
    /// concurrent writes shared transactions.
    /// </summary>
    [Fact]
    public async Task InsertClaimFinish_2000RunsFrom16Tasks_EachSucceedsExactlyOnce()
    {
        const int Workers = 16;
        const int PerWorker = 125;
        var owner = await Store.StartIncarnationAsync("node-a", 1, T0, TimeSpan.FromDays(1), Ct);
        var countersBefore = ReadWriteCounters(Store);
        var ids = new ConcurrentBag<long>();
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < PerWorker; i++)
            {
                var id = await Store.InsertRunAsync(Run("load-" + worker, T0.AddMinutes(i), session: $"s-{worker}"), At(0), Ct);
                Assert.NotNull(id);
                Assert.Equal(ClaimResult.Claimed, await Store.ClaimAsync(id.Value, owner, At(1), At(1) + Timeout, Ct));
                Assert.True(await Store.FinishAsync(id.Value, owner, new RunOutcome { State = RunState.Succeeded, ExitCode = 0 }, At(2), Ct));
                ids.Add(id.Value);
            }
        })));
        watch.Stop();

        Assert.Equal(Workers * PerWorker, ids.Distinct().Count());
        var succeeded = await Store.ListRunsAsync(new RunQuery { State = RunState.Succeeded, Limit = 5000 }, Ct);
        Assert.Equal(Workers * PerWorker, succeeded.Count);
        Assert.Equal(0, await Store.CountRunningAsync("load-0", Ct));
        var countersAfter = ReadWriteCounters(Store);
        if (countersBefore is not null && countersAfter is not null)
        {
            var commits = countersAfter.Commits - countersBefore.Commits;
            var operations = countersAfter.Operations - countersBefore.Operations;
            Output?.WriteLine($"{Workers * PerWorker} runs, {operations} write operations in {commits} commits ({(double)operations / commits:F1} per commit), {watch.ElapsedMilliseconds} ms");
            Assert.Equal(3 * Workers * PerWorker, operations);
            Assert.True(commits < operations, $"expected batched commits, got {commits} commits for {operations} operations");
        }
    }
}
