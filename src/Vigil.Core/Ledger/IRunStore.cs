using Vigil.Jobs;

namespace Vigil.Ledger;

/// <summary>
/// The durable ledger: jobs, incarnations and runs. One interface, implemented by every backend
/// (SQLite for one node, PostgreSQL for several) and proven by one conformance suite.
/// </summary>
/// <remarks>
/// <para>Every state change of a run is a conditional write: it names the state it expects and, for a
/// running run, the owning incarnation and lease epoch (the fencing token). A write whose condition
/// no longer holds changes nothing and reports so; the caller never assumes it won.</para>
/// <para>"Now" is always passed in. The SQLite backend uses the caller's clock; a multi-node backend
/// may substitute the database clock so nodes cannot disagree about what is due.</para>
/// <para>Nothing a node needs to resume lives only in its memory: the planner's cursor is the last
/// materialized slot, the supervisor's state is the set of running rows, sessions are held by rows.</para>
/// </remarks>
public partial interface IRunStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema by applying the backend's versioned migrations.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Records a new incarnation of <paramref name="node"/> holding a lease until now + <paramref name="lease"/>.</summary>
    Task<Incarnation> StartIncarnationAsync(string node, int pid, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Renews the lease; false when the incarnation no longer holds it (fenced out).</summary>
    Task<bool> RenewLeaseAsync(Incarnation owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Begins a drain: in one committed transaction marks the incarnation draining and every run it
    /// owns that is running as draining. Returns the number of runs marked.
    /// </summary>
    /// <remarks>Committed before the drain waits, so a kill during the drain still leaves the mark (G4).</remarks>
    Task<int> BeginDrainAsync(Incarnation owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records that the incarnation stopped (cleanly or not) and releases its lease.</summary>
    Task StopIncarnationAsync(Incarnation owner, bool clean, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Incarnations of <paramref name="node"/> started at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<IncarnationRecord>> ListIncarnationsAsync(string node, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces a job's definition (its runs are never touched).</summary>
    Task UpsertJobAsync(StoredJob job, CancellationToken cancellationToken);

    /// <summary>A job by name, removed ones included.</summary>
    Task<StoredJob?> GetJobAsync(string name, CancellationToken cancellationToken);

    /// <summary>All jobs ordered by name.</summary>
    Task<IReadOnlyList<StoredJob>> ListJobsAsync(bool includeRemoved, CancellationToken cancellationToken);

    /// <summary>
    /// One page of <see cref="ListJobsAsync"/>: at most <paramref name="limit"/> jobs whose name sorts
    /// after <paramref name="after"/> (null: from the first), ordered by name.
    /// </summary>
    /// <remarks>
    /// Lets the engine read a million jobs without holding every definition text at once. The
    /// definitions come as the UTF-8 JSON the store keeps (<see cref="JobRow.Definition"/>), never
    /// decoded to strings: the engine parses them once and keeps only the result.
    /// </remarks>
    Task<IReadOnlyList<JobRow>> ListJobsPageAsync(string? after, int limit, bool includeRemoved, CancellationToken cancellationToken);

    /// <summary>Pauses or resumes a job; false when there is no such job.</summary>
    Task<bool> SetJobPausedAsync(string name, bool paused, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks a job removed (disabled, history kept); false when there is no such job.</summary>
    Task<bool> RemoveJobAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a run unless one exists for (job, slot, attempt). Returns the new id, or null when the
    /// row already existed: materializing a slot twice is harmless (G2).
    /// </summary>
    Task<long?> InsertRunAsync(NewRun run, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// pending → running, owned by <paramref name="owner"/>, if the run is still pending, its
    /// <c>not_before</c> has passed, the owner's lease is valid and the run's session (if any) has no
    /// other running run. Committed before the caller starts the action (G4).
    /// </summary>
    Task<ClaimResult> ClaimAsync(long runId, Incarnation owner, DateTimeOffset now, DateTimeOffset deadline, CancellationToken cancellationToken);

    /// <summary>
    /// Claim on insert: inserts a slot's first attempt directly as running, owned by
    /// <paramref name="owner"/>, started at <paramref name="startedAt"/> (which may be a few
    /// milliseconds ahead of <paramref name="now"/>: the engine arms a slot before its instant), if
    /// the owner's lease is valid at <paramref name="now"/> and the slot has no row yet. One write
    /// where insert-then-claim takes two. Committed before the caller starts the action (G4).
    /// </summary>
    /// <returns>
    /// <see cref="ClaimResult.Claimed"/> with the new run's id; <see cref="ClaimResult.NotPending"/>
    /// when (job, slot, attempt) already has a row (nothing is written); <see cref="ClaimResult.LeaseLost"/>.
    /// </returns>
    Task<InsertClaimResult> InsertClaimedAsync(NewRun run, Incarnation owner, DateTimeOffset startedAt, DateTimeOffset deadline, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// running → terminal, only if <paramref name="owner"/> still owns the run; with
    /// <see cref="RunOutcome.RetryNotBefore"/>, also inserts the next attempt in the same transaction.
    /// </summary>
    Task<bool> FinishAsync(long runId, Incarnation owner, RunOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>pending → skipped, missed or cancelled with a reason; false if it was no longer pending.</summary>
    Task<bool> ResolvePendingAsync(long runId, RunState state, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction, for each item: running (owned by the expected incarnation) → interrupted
    /// with its reason, and, when the item carries a retry, the next attempt as a pending row.
    /// Items whose run is no longer running under that owner are left alone. Returns how many were applied.
    /// </summary>
    Task<int> InterruptAsync(IReadOnlyList<Interruption> items, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Adoption: a run still running under <paramref name="fromIncarnationId"/> (an earlier incarnation
    /// whose run supervisor still lives, or recorded the outcome) becomes owned by
    /// <paramref name="owner"/>, if the owner's lease is valid. Records who adopted it and when, and
    /// clears its drain mark; its start and deadline are kept. False when the condition no longer holds.
    /// </summary>
    Task<bool> AdoptAsync(long runId, long fromIncarnationId, Incarnation owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Runs in state running owned by incarnations of <paramref name="node"/>.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunningAsync(string node, CancellationToken cancellationToken);

    /// <summary>Pending runs whose <c>not_before</c> is at or before <paramref name="dueBy"/> (or unset), oldest slot first.</summary>
    Task<IReadOnlyList<RunRecord>> ListPendingAsync(DateTimeOffset dueBy, int limit, CancellationToken cancellationToken);

    /// <summary>The earliest <c>not_before</c> of pending runs after <paramref name="after"/>, to know when to wake.</summary>
    Task<DateTimeOffset?> GetNextPendingDueAsync(DateTimeOffset after, CancellationToken cancellationToken);

    /// <summary>The latest materialized slot of a job (any trigger but manual): the planner's durable cursor.</summary>
    Task<DateTimeOffset?> GetLastSlotAsync(string job, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="GetLastSlotAsync"/> for many jobs at once, by job name; jobs without such a slot
    /// (or unknown to the ledger) are absent.
    /// </summary>
    /// <remarks>One query instead of one per job: what lets the engine start with a million jobs.</remarks>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> GetLastSlotsAsync(IReadOnlyCollection<string> jobs, CancellationToken cancellationToken);

    /// <summary>The last attempt of the latest slot of <paramref name="job"/> strictly before <paramref name="slot"/> (manual runs excluded).</summary>
    Task<RunRecord?> GetLatestRunBeforeAsync(string job, DateTimeOffset slot, CancellationToken cancellationToken);

    /// <summary>Every attempt of one slot, in attempt order.</summary>
    Task<IReadOnlyList<RunRecord>> ListAttemptsAsync(string job, DateTimeOffset slot, CancellationToken cancellationToken);

    /// <summary>The number of runs of <paramref name="job"/> that are running.</summary>
    Task<int> CountRunningAsync(string job, CancellationToken cancellationToken);

    /// <summary>One run by id.</summary>
    Task<RunRecord?> GetRunAsync(long id, CancellationToken cancellationToken);

    /// <summary>A run's captured output tail; null when it has none (never finished, or finished with empty output).</summary>
    Task<string?> GetRunOutputAsync(long id, CancellationToken cancellationToken);

    /// <summary>Runs matching the query, newest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The newest runs of each of <paramref name="jobs"/>, newest first, at most
    /// <paramref name="perJob"/> each, in one read (a page listing many jobs with their recent runs).
    /// Every job asked for has an entry; a job without runs has an empty list.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<RunRecord>>> ListRecentRunsAsync(IReadOnlyList<string> jobs, int perJob, CancellationToken cancellationToken);

    /// <summary>The latest non-pending run of each job (by slot, then attempt).</summary>
    Task<IReadOnlyDictionary<string, RunRecord>> GetLastRunsAsync(CancellationToken cancellationToken);
}

/// <summary>A job as stored: its definition as JSON (see <see cref="JobCodec"/>) and its runtime flags.</summary>
public sealed record StoredJob
{
    /// <summary>The job's name.</summary>
    public required string Name { get; init; }

    /// <summary>The definition, serialized by <see cref="JobCodec"/>.</summary>
    public required string Definition { get; init; }

    /// <summary>Where it came from.</summary>
    public required JobSource Source { get; init; }

    /// <summary>Paused by the operator (survives config reloads).</summary>
    public bool Paused { get; init; }

    /// <summary>The job's creation; slots before it are never materialized.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The last change of the definition.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was removed (history is kept).</summary>
    public DateTimeOffset? RemovedAt { get; init; }
}

/// <summary>A stored job as one page of <see cref="IRunStore.ListJobsPageAsync"/> returns it.</summary>
/// <param name="Name">The job's name.</param>
/// <param name="Definition">The definition as UTF-8 JSON (<see cref="JobCodec"/>); the rows of a page may share one buffer.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Paused">Paused by the operator.</param>
/// <param name="CreatedAt">The job's creation.</param>
/// <param name="UpdatedAt">The last change of the definition.</param>
/// <param name="RemovedAt">When it was removed, if it was.</param>
public readonly record struct JobRow(
    string Name,
    ReadOnlyMemory<byte> Definition,
    JobSource Source,
    bool Paused,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? RemovedAt)
{
    /// <summary>The same job with its definition as text.</summary>
    public StoredJob ToStoredJob() => new()
    {
        Name = Name,
        Definition = System.Text.Encoding.UTF8.GetString(Definition.Span),
        Source = Source,
        Paused = Paused,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RemovedAt = RemovedAt,
    };
}

/// <summary>A run to insert.</summary>
public sealed record NewRun
{
    /// <summary>The job.</summary>
    public required string Job { get; init; }

    /// <summary>The slot.</summary>
    public required DateTimeOffset Slot { get; init; }

    /// <summary>The attempt (1 for a slot's first).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>pending, skipped or missed.</summary>
    public RunState State { get; init; } = RunState.Pending;

    /// <summary>The reason for skipped and missed rows.</summary>
    public string? Reason { get; init; }

    /// <summary>Why it exists.</summary>
    public RunTrigger Trigger { get; init; } = RunTrigger.Schedule;

    /// <summary>Do not start before this instant.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The session key, when the job has one.</summary>
    public string? Session { get; init; }

    /// <summary>An earlier attempt of the slot was interrupted.</summary>
    public bool Resumed { get; init; }
}

/// <summary>The end of a run as the supervisor records it.</summary>
public sealed record RunOutcome
{
    /// <summary>succeeded, failed, timed_out, cancelled or interrupted.</summary>
    public required RunState State { get; init; }

    /// <summary>Why, for non-success states.</summary>
    public string? Reason { get; init; }

    /// <summary>The exit code of a command.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The captured output tail (capped).</summary>
    public string? Output { get; init; }

    /// <summary>The result file's status.</summary>
    public string? ResultStatus { get; init; }

    /// <summary>The result file's summary.</summary>
    public string? Summary { get; init; }

    /// <summary>The result file's tokens_in.</summary>
    public long? TokensIn { get; init; }

    /// <summary>The result file's tokens_out.</summary>
    public long? TokensOut { get; init; }

    /// <summary>
    /// When set, the next attempt of the slot is inserted as pending (trigger retry, not before this
    /// instant) in the same transaction that records this outcome, so a crash cannot lose the retry.
    /// </summary>
    public DateTimeOffset? RetryNotBefore { get; init; }
}

/// <summary>The answer to a claim on insert: what happened, and the run's id when it was claimed.</summary>
public readonly record struct InsertClaimResult(ClaimResult Result, long RunId);

/// <summary>The answer to a claim.</summary>
public enum ClaimResult
{
    /// <summary>The run is now running, owned by the caller.</summary>
    Claimed,

    /// <summary>The run was not pending (any more), or its not_before is in the future.</summary>
    NotPending,

    /// <summary>Another run of the same session is running.</summary>
    SessionBusy,

    /// <summary>The caller's lease is not valid: it must not start anything.</summary>
    LeaseLost,
}

/// <summary>One run to record as interrupted, and optionally its next attempt.</summary>
public sealed record Interruption
{
    /// <summary>The run.</summary>
    public required long RunId { get; init; }

    /// <summary>The incarnation that must still own it.</summary>
    public required long OwnerIncarnationId { get; init; }

    /// <summary>What happened, e.g. "process died while running".</summary>
    public required string Reason { get; init; }

    /// <summary>When set, the next attempt is inserted as pending, not before this instant.</summary>
    public DateTimeOffset? RetryNotBefore { get; init; }
}

/// <summary>Filters for <see cref="IRunStore.ListRunsAsync"/>.</summary>
public sealed record RunQuery
{
    /// <summary>Only this job.</summary>
    public string? Job { get; init; }

    /// <summary>Only this state.</summary>
    public RunState? State { get; init; }

    /// <summary>Only slots at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only runs with an id below this one (paging, newest first).</summary>
    public long? BeforeId { get; init; }

    /// <summary>At most this many (default 100).</summary>
    public int Limit { get; init; } = 100;
}
