using Microsoft.Data.Sqlite;
using Vigil.Ledger;

namespace Vigil.Storage.Sqlite.Tests;

/// <summary>Group commit: batching, per-operation failure, statistics and file integrity under load.</summary>
public sealed class SqliteWriterTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _database = new();
    private readonly ManualResetEventSlim _release = new();
    private SqliteRunStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteRunStore.OpenAsync(_database.Path, CancellationToken.None);

    public async Task DisposeAsync()
    {
        _release.Set();
        await _store.DisposeAsync();
        _database.Delete();
    }

    public void Dispose() => _release.Dispose();

    [Fact]
    public async Task WriteQueue_OperationsQueuedBehindACommit_ShareOneTransaction()
    {
        var blocker = await BlockWriterAsync();
        var before = _store.Statistics;
        var inserts = Enumerable.Range(0, 50).Select(i => _store.InsertRunAsync(Run("a", i), T0, CancellationToken.None)).ToList();

        _release.Set();
        await blocker;
        await Task.WhenAll(inserts);

        var after = _store.Statistics;
        Assert.Equal(51, after.Operations - before.Operations);
        Assert.Equal(2, after.Commits - before.Commits);
    }

    [Fact]
    public async Task WriteQueue_OneOperationFails_OnlyItFailsAndItsEffectsAreRolledBack()
    {
        var blocker = await BlockWriterAsync();
        var first = _store.InsertRunAsync(Run("a", 0), T0, CancellationToken.None);
        var failing = _store.WriteAsync<int>(
            s =>
            {
                s.Execute("""INSERT INTO runs (job, slot, attempt, state, "trigger", created_at) VALUES ('doomed', 0, 1, 'pending', 'schedule', 0)""");
                throw new InvalidOperationException("boom");
            },
            CancellationToken.None);
        var constraint = _store.WriteAsync(s => s.Execute("""INSERT INTO runs (job, slot, attempt, state, "trigger", created_at) VALUES ('bad', 0, 1, 'nonsense', 'schedule', 0)"""), CancellationToken.None);
        var last = _store.InsertRunAsync(Run("a", 1), T0, CancellationToken.None);

        _release.Set();
        await blocker;

        Assert.NotNull(await first);
        Assert.NotNull(await last);
        Assert.Equal("boom", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        await Assert.ThrowsAsync<SqliteException>(() => constraint);
        var jobs = (await _store.ListRunsAsync(new RunQuery(), CancellationToken.None)).Select(r => r.Job);
        Assert.Equal(["a", "a"], jobs);
    }

    [Fact]
    public async Task WriteQueue_CancelledWhileQueued_NeverRuns()
    {
        using var cancel = new CancellationTokenSource();
        var blocker = await BlockWriterAsync();
        var cancelled = _store.InsertRunAsync(Run("a", 0), T0, cancel.Token);

        await cancel.CancelAsync();
        _release.Set();
        await blocker;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Empty(await _store.ListRunsAsync(new RunQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task Statistics_SequentialWrites_OneCommitEach()
    {
        var before = _store.Statistics;

        for (var i = 0; i < 5; i++)
        {
            await _store.InsertRunAsync(Run("a", i), T0, CancellationToken.None);
        }

        var after = _store.Statistics;
        Assert.Equal(5, after.Commits - before.Commits);
        Assert.Equal(5, after.Operations - before.Operations);
    }

    [Fact]
    public async Task IntegrityCheck_AfterConcurrentLoadAndReopen_IsOk()
    {
        var owner = await _store.StartIncarnationAsync("node-a", 1, T0, TimeSpan.FromDays(1), CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var id = (await _store.InsertRunAsync(Run("w" + worker, i), T0, CancellationToken.None))!.Value;
                await _store.ClaimAsync(id, owner, T0, T0.AddHours(1), CancellationToken.None);
                await _store.FinishAsync(id, owner, new RunOutcome { State = RunState.Succeeded, Output = new string('x', 2000) }, T0, CancellationToken.None);
            }
        })));
        await _store.DisposeAsync();
        _store = await SqliteRunStore.OpenAsync(_database.Path, CancellationToken.None);

        var (integrity, foreignKeyProblems) = await _store.WriteAsync(
            s => (s.Scalar<string>("PRAGMA integrity_check"), s.Scalar<long>("SELECT COUNT(*) FROM pragma_foreign_key_check")),
            CancellationToken.None);

        Assert.Equal("ok", integrity);
        Assert.Equal(0, foreignKeyProblems);
        Assert.Equal(960, (await _store.ListRunsAsync(new RunQuery { State = RunState.Succeeded, Limit = 2000 }, CancellationToken.None)).Count);
    }

    /// <summary>
    /// Occupies the writer with an operation that waits for <see cref="_release"/>, so that everything
    /// queued meanwhile lands in the next batch together.
    /// </summary>
    private async Task<Task<bool>> BlockWriterAsync()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _store.WriteAsync(
            _ =>
            {
                started.SetResult();
                return _release.Wait(TimeSpan.FromSeconds(10));
            },
            CancellationToken.None);
        await started.Task;
        return blocker;
    }

    private static NewRun Run(string job, int minute) => new() { Job = job, Slot = T0.AddMinutes(minute) };
}
