using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Operations;

/// <summary>The operator's reads and changes of runs: listing filters and retry.</summary>
internal static class RunOperations
{
    /// <summary>The largest page a listing returns.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Every state name, for messages.</summary>
    public static readonly string StateNames = string.Join(", ", Enum.GetValues<RunState>().Select(s => s.Name()));

    /// <summary>Reads a state name, or a one-line error naming <paramref name="field"/>.</summary>
    public static RunState ParseState(string field, string text) =>
        RunStates.TryParse(text.Trim(), out var parsed)
            ? parsed
            : throw new OperationException($"invalid {field} \"{text}\": expected one of {StateNames}");

    /// <summary>Reads a "since": an ISO instant, or a duration before <paramref name="now"/>.</summary>
    public static DateTimeOffset ParseSince(string field, string text, DateTimeOffset now)
    {
        if (Iso.TryParse(text, TimeZoneInfo.Utc, out var instant))
        {
            return instant;
        }

        if (Duration.TryParse(text, out var ago, out _))
        {
            return now - ago;
        }

        throw new OperationException($"invalid {field} \"{text}\": expected an ISO-8601 instant such as 2026-03-29T00:00:00Z or a duration such as 24h");
    }

    /// <summary>Checks a page size.</summary>
    public static int CheckLimit(string field, int limit) =>
        limit is < 1 or > MaxLimit ? throw new OperationException($"{field} must be between 1 and {MaxLimit} (got {limit})") : limit;

    /// <summary>Runs matching the query, newest first; an unknown job is an error rather than an empty list.</summary>
    public static async Task<IReadOnlyList<RunRecord>> ListAsync(OperatorLedger ledger, RunQuery query, CancellationToken cancellationToken)
    {
        if (query.Job is { } job && await ledger.Store.GetJobAsync(job, cancellationToken).ConfigureAwait(false) is null && !ledger.Config.Jobs.Any(j => j.Name == job))
        {
            throw OperationException.NoJob(job);
        }

        return await ledger.Store.ListRunsAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues a new attempt at the slot of a run that ended without success (attempt = the slot's
    /// highest + 1, trigger manual, outside the retry policy's limits); returns its id.
    /// </summary>
    public static async Task<long> RetryAsync(OperatorLedger ledger, long id, CancellationToken cancellationToken)
    {
        var run = await ledger.GetRunAsync(id, cancellationToken).ConfigureAwait(false);
        if (!run.State.IsTerminal())
        {
            throw new OperationException($"run {id} is {run.State.Name()}; only a run that ended without success can be retried", OperationError.Conflict);
        }

        if (run.State == RunState.Succeeded)
        {
            throw new OperationException($"run {id} succeeded; only a run that ended without success can be retried (use 'vigil jobs trigger {run.Job}' for a new run)", OperationError.Conflict);
        }

        var job = await ledger.Store.GetJobAsync(run.Job, cancellationToken).ConfigureAwait(false);
        if (job is null || job.RemovedAt is not null)
        {
            throw new OperationException($"job \"{run.Job}\" was removed; a new attempt of its run would not start", OperationError.Conflict);
        }

        var attempts = await ledger.Store.ListAttemptsAsync(run.Job, run.Slot, cancellationToken).ConfigureAwait(false);
        if (attempts.FirstOrDefault(a => !a.State.IsTerminal()) is { } open)
        {
            throw new OperationException($"the slot of run {id} already has attempt {open.Attempt} {open.State.Name()} (run {open.Id})", OperationError.Conflict);
        }

        var next = attempts.Count == 0 ? run.Attempt + 1 : attempts.Max(a => a.Attempt) + 1;
        var newId = await ledger.Store.InsertRunAsync(
            new NewRun
            {
                Job = run.Job,
                Slot = run.Slot,
                Attempt = next,
                Trigger = RunTrigger.Manual,
                Session = run.Session,
                Resumed = attempts.Any(a => a.State == RunState.Interrupted),
            },
            ledger.Now,
            cancellationToken).ConfigureAwait(false)
            ?? throw new OperationException($"attempt {next} of the slot of run {id} was inserted by someone else meanwhile; see 'vigil runs list --job {run.Job}'", OperationError.Conflict);
        ledger.Wake();
        return newId;
    }
}
