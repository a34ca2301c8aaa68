using Vigil.Incidents;

namespace Vigil.Ledger;

/// <summary>Incidents, the alert outbox and what the incident monitor reads (see <c>docs/incidents.md</c>).</summary>
/// <remarks>
/// <para>Every run that reaches a terminal state leaves a <see cref="RunEvent"/>, written by the
/// backend in the transaction of the state change itself, so no path that ends a run can forget to
/// report it. The incident monitor consumes events in commit order with
/// <see cref="ApplyIncidentBatchAsync"/>, in one transaction with the incidents and notices they cause.</para>
/// <para>Opening and resolving an incident enqueue its notice in the same transaction: a crash
/// between "incident opened" and "alert queued" cannot happen.</para>
/// </remarks>
public partial interface IRunStore
{
    /// <summary>The oldest unconsumed run events (at most <paramref name="limit"/>), each with its run, in commit order.</summary>
    Task<IReadOnlyList<RunEvent>> ListRunEventsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The stored health counters of <paramref name="jobs"/>; jobs without counters are absent.</summary>
    Task<IReadOnlyDictionary<string, JobHealth>> GetJobHealthAsync(IReadOnlyCollection<string> jobs, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: consumes the batch's run events, replaces the health counters, applies
    /// the incident changes in order (enqueueing an "opened" or "resolved" notice for each incident
    /// opened or resolved) and pauses the named jobs.
    /// </summary>
    Task<IncidentBatchResult> ApplyIncidentBatchAsync(IncidentBatch batch, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Incidents matching the query, newest first.</summary>
    Task<IReadOnlyList<IncidentRecord>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken);

    /// <summary>One incident by id.</summary>
    Task<IncidentRecord?> GetIncidentAsync(long id, CancellationToken cancellationToken);

    /// <summary>open → acknowledged (no more reminders); false when the incident is not open.</summary>
    Task<bool> AcknowledgeIncidentAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The number of unresolved (open or acknowledged) incidents per job; node-wide ones under the empty name.</summary>
    Task<IReadOnlyDictionary<string, int>> CountUnresolvedIncidentsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Enqueues a "reminder" notice for every open (unacknowledged) incident whose last notice is at
    /// least <paramref name="every"/> old, and moves its last-notice instant, in one transaction.
    /// Returns how many were enqueued.
    /// </summary>
    Task<int> EnqueueAlertRemindersAsync(TimeSpan every, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Undelivered notices whose next attempt is due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<AlertRecord>> ListDueAlertsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a delivery attempt: the sinks that took the notice, and either done or the next
    /// attempt's instant. False when the notice was already done.
    /// </summary>
    Task<bool> RecordAlertAttemptAsync(AlertAttempt attempt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A self-check for <c>vigil doctor</c>: the database's own integrity check and the newest instants it holds.</summary>
    Task<LedgerCheck> CheckLedgerAsync(CancellationToken cancellationToken);
}

/// <summary>What <see cref="IRunStore.CheckLedgerAsync"/> found.</summary>
public sealed record LedgerCheck
{
    /// <summary>Integrity problems the database reports (empty: none).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>The newest instant written to the ledger (last run created, last incarnation heartbeat), to compare with the clock.</summary>
    public DateTimeOffset? LatestInstant { get; init; }
}
