using Vigil.Ledger;
using Vigil.Storage.Sqlite.Data;
using Vigil.Storage.Sqlite.Statements;
using Vigil.Storage.Sqlite.Schema;
using Vigil.Storage.Sqlite.Writing;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// The ledger in one SQLite file, for a single node. Writes go through one writer connection with
/// group commit; reads use their own connections and never wait for the writer (WAL).
/// </summary>
/// <remarks>
/// <para>Durability: <c>journal_mode=WAL</c> with <c>synchronous=FULL</c>, so a write is on disk
/// when its task completes, and the "running" mark is committed before the caller starts an action (G4).</para>
/// <para>"Now" is the caller's clock: with one node there is no other clock to disagree with.</para>
/// </remarks>
public sealed partial class SqliteRunStore : IRunStore
{
    private readonly SqliteStoreOptions _options;
    private readonly WriteQueue _writes;
    private readonly ReaderPool _reads;
    private int _disposed;

    /// <summary>Opens (or creates) the database file and starts the writer. Call <see cref="MigrateAsync(CancellationToken)"/> before use.</summary>
    public SqliteRunStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        _options = options;
        _writes = new WriteQueue(SqlSession.Open(options, writer: true), options.MaxBatch);
        _reads = new ReaderPool(options, maxIdle: Math.Max(4, Environment.ProcessorCount * 2));
    }

    /// <summary>The database file.</summary>
    public string Path => _options.Path;

    /// <summary>Commits and write operations so far: operations per commit shows how well writes are batched.</summary>
    public StoreStatistics Statistics => _writes.Statistics;

    /// <summary>Opens the store at <paramref name="options"/> and brings its schema up to date.</summary>
    public static async Task<SqliteRunStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        var store = new SqliteRunStore(options);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens the store in the file at <paramref name="path"/> with default options and brings its schema up to date.</summary>
    public static Task<SqliteRunStore> OpenAsync(string path, CancellationToken cancellationToken) =>
        OpenAsync(new SqliteStoreOptions { Path = path }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Runs on its own connection, one transaction per migration; safe against a concurrent migrator in another process.</remarks>
    public Task MigrateAsync(CancellationToken cancellationToken) =>
        MigrateAsync(Migration.Shipped, cancellationToken);

    /// <summary>Applies <paramref name="migrations"/> (tests hand in a subset or a future version).</summary>
    internal Task MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return RunInline(
            () =>
            {
                using var session = SqlSession.Open(_options, writer: true);
                return Migrator.Apply(session, migrations, _options.TimeProvider, cancellationToken);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Incarnation> StartIncarnationAsync(string node, int pid, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        return _writes.EnqueueAsync(s => IncarnationSql.Start(s, node, pid, now, lease), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewLeaseAsync(Incarnation owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _writes.EnqueueAsync(s => IncarnationSql.Renew(s, owner, now, lease), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> BeginDrainAsync(Incarnation owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _writes.EnqueueAsync(s => IncarnationSql.BeginDrain(s, owner, now), cancellationToken);
    }

    /// <inheritdoc />
    public Task StopIncarnationAsync(Incarnation owner, bool clean, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _writes.EnqueueAsync(s => { IncarnationSql.Stop(s, owner, clean, now); return true; }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IncarnationRecord>> ListIncarnationsAsync(string node, DateTimeOffset since, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<IncarnationRecord>>(s => IncarnationSql.List(s, node, since), cancellationToken);

    /// <inheritdoc />
    public Task UpsertJobAsync(StoredJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _writes.EnqueueAsync(s => { JobSql.Upsert(s, job); return true; }, cancellationToken, singleStatement: true);
    }

    /// <inheritdoc />
    public Task<StoredJob?> GetJobAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync(s => JobSql.Get(s, name), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredJob>> ListJobsAsync(bool includeRemoved, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<StoredJob>>(s => JobSql.List(s, includeRemoved), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<JobRow>> ListJobsPageAsync(string? after, int limit, bool includeRemoved, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync<IReadOnlyList<JobRow>>(s => JobSql.ListPage(s, after, limit, includeRemoved), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetJobPausedAsync(string name, bool paused, DateTimeOffset now, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync(s => JobSql.SetPaused(s, name, paused), cancellationToken, singleStatement: true);

    /// <inheritdoc />
    public Task<bool> RemoveJobAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync(s => JobSql.Remove(s, name, now), cancellationToken, singleStatement: true);

    /// <inheritdoc />
    public Task<long?> InsertRunAsync(NewRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.State is not (RunState.Pending or RunState.Skipped or RunState.Missed))
        {
            throw new ArgumentException($"a new run is pending, skipped or missed, not {run.State.Name()}", nameof(run));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(run.Attempt, 1, nameof(run));
        return _writes.EnqueueAsync(s => RunWrites.Insert(s, run, now), cancellationToken, singleStatement: true);
    }

    /// <inheritdoc />
    public Task<ClaimResult> ClaimAsync(long runId, Incarnation owner, DateTimeOffset now, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _writes.EnqueueAsync(s => RunWrites.Claim(s, runId, owner, now, deadline), cancellationToken, singleStatement: true);
    }

    /// <inheritdoc />
    public Task<InsertClaimResult> InsertClaimedAsync(NewRun run, Incarnation owner, DateTimeOffset startedAt, DateTimeOffset deadline, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(owner);
        if (run.State != RunState.Pending || run.NotBefore is not null)
        {
            throw new ArgumentException("a run claimed on insert is a new run due now, with no not_before", nameof(run));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(run.Attempt, 1, nameof(run));
        return _writes.EnqueueAsync(s => RunWrites.InsertClaimed(s, run, owner, startedAt, deadline, now), cancellationToken, singleStatement: true);
    }

    /// <inheritdoc />
    public Task<bool> FinishAsync(long runId, Incarnation owner, RunOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.State.IsTerminal() || outcome.State is RunState.Skipped or RunState.Missed)
        {
            throw new ArgumentException($"a run finishes succeeded, failed, timed_out, cancelled or interrupted, not {outcome.State.Name()}", nameof(outcome));
        }

        // Without a retry or output to write, finishing is one UPDATE: no savepoint needed.
        var singleStatement = outcome.RetryNotBefore is null && string.IsNullOrEmpty(outcome.Output);
        return _writes.EnqueueAsync(s => RunWrites.Finish(s, runId, owner, outcome, now), cancellationToken, singleStatement);
    }

    /// <inheritdoc />
    public Task<bool> ResolvePendingAsync(long runId, RunState state, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (state is not (RunState.Skipped or RunState.Missed or RunState.Cancelled))
        {
            throw new ArgumentException($"a pending run resolves to skipped, missed or cancelled, not {state.Name()}", nameof(state));
        }

        return _writes.EnqueueAsync(s => RunWrites.ResolvePending(s, runId, state, reason, now), cancellationToken, singleStatement: true);
    }

    /// <inheritdoc />
    public Task<int> InterruptAsync(IReadOnlyList<Interruption> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            ThrowIfDisposed();
            return Task.FromResult(0);
        }

        var copy = items.ToArray();
        return _writes.EnqueueAsync(s => RunWrites.Interrupt(s, copy, now), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> AdoptAsync(long runId, long fromIncarnationId, Incarnation owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _writes.EnqueueAsync(s => RunWrites.Adopt(s, runId, fromIncarnationId, owner, now), cancellationToken, singleStatement: true);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListRunningAsync(string node, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RunRecord>>(s => RunReads.ListRunning(s, node), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListPendingAsync(DateTimeOffset dueBy, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync<IReadOnlyList<RunRecord>>(s => RunReads.ListPending(s, dueBy, limit), cancellationToken);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextPendingDueAsync(DateTimeOffset after, CancellationToken cancellationToken) =>
        ReadAsync(s => RunReads.GetNextPendingDue(s, after), cancellationToken);

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetLastSlotAsync(string job, CancellationToken cancellationToken) =>
        ReadAsync(s => RunReads.GetLastSlot(s, job), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetLastSlotsAsync(IReadOnlyCollection<string> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return ReadAsync<IReadOnlyDictionary<string, DateTimeOffset>>(s => RunReads.GetLastSlots(s, jobs), cancellationToken);
    }

    /// <inheritdoc />
    public Task<RunRecord?> GetLatestRunBeforeAsync(string job, DateTimeOffset slot, CancellationToken cancellationToken) =>
        ReadAsync(s => RunReads.GetLatestRunBefore(s, job, slot), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListAttemptsAsync(string job, DateTimeOffset slot, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RunRecord>>(s => RunReads.ListAttempts(s, job, slot), cancellationToken);

    /// <inheritdoc />
    public Task<int> CountRunningAsync(string job, CancellationToken cancellationToken) =>
        ReadAsync(s => RunReads.CountRunning(s, job), cancellationToken);

    /// <inheritdoc />
    public Task<RunRecord?> GetRunAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(s => RunReads.Get(s, id), cancellationToken);

    /// <inheritdoc />
    public Task<string?> GetRunOutputAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(s => RunReads.GetOutput(s, id), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        return ReadAsync<IReadOnlyList<RunRecord>>(s => RunReads.List(s, query), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, IReadOnlyList<RunRecord>>> ListRecentRunsAsync(IReadOnlyList<string> jobs, int perJob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(perJob, 1);
        return ReadAsync<IReadOnlyDictionary<string, IReadOnlyList<RunRecord>>>(s => RunReads.ListRecent(s, jobs, perJob), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, RunRecord>> GetLastRunsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, RunRecord>>(RunReads.GetLastRuns, cancellationToken);

    /// <summary>Commits every write already queued, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writes.DisposeAsync().ConfigureAwait(false);
        _reads.Dispose();
    }

    /// <summary>Runs raw work on the writer, in the group-commit path (tests and diagnostics).</summary>
    internal Task<T> WriteAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync(work, cancellationToken);

    /// <summary>Runs a read on a reader connection.</summary>
    internal Task<T> ReadAsync<T>(Func<SqlSession, T> query, CancellationToken cancellationToken) =>
        RunInline(() => _reads.Read(query, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs synchronous work on the caller's thread and reports its outcome through a task, the way
    /// an asynchronous method would (Microsoft.Data.Sqlite's async methods are synchronous anyway).
    /// </summary>
    private static Task<T> RunInline<T>(Func<T> work, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(work());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
#pragma warning disable CA1031 // Surfaced through the task, like any asynchronous failure.
        catch (Exception error)
#pragma warning restore CA1031
        {
            return Task.FromException<T>(error);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
