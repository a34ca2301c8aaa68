using Microsoft.Extensions.Logging;
using Vigil.Engine;
using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Incidents;

/// <summary>
/// Turns what the ledger records into incidents: consumes the run events (every run that reached a
/// terminal state) in commit order, and runs the periodic checks (past due, silence, crash-loop end,
/// reminders). Its own loop, beside the planner's: a stuck planner is exactly what it must see.
/// </summary>
/// <remarks>
/// <para>Each batch of events is consumed in the transaction that applies its incidents and health
/// counters, so a crash replays the batch instead of losing or double-counting it.</para>
/// <para>The periodic checks read the ledger, not the planner's memory: a slot is past due when the
/// ledger has no started run for it, whatever the reason.</para>
/// </remarks>
internal sealed partial class IncidentMonitor
{
    private const int EventBatch = 500;

    private readonly IRunStore _store;
    private readonly IncidentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _node;
    private readonly Action _noticesQueued;
    private readonly WakeSignal _wake = new();
    private volatile IReadOnlyDictionary<string, IMonitoredJob> _jobs = new Dictionary<string, IMonitoredJob>(StringComparer.Ordinal);
    private Incarnation? _incarnation;
    private bool _crashLoopMayBeOpen;
    private bool _stallMayBeOpen = true;
    private readonly Lock _stallGate = new();
    private string? _unrecordedStall;
    private Task _stallReport = Task.CompletedTask;

    public IncidentMonitor(IRunStore store, IncidentOptions options, TimeProvider time, ILogger logger, string node, Action noticesQueued)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _node = node;
        _noticesQueued = noticesQueued;
    }

    /// <summary>The monitor loop's heartbeat (watched like the planner's).</summary>
    public LoopHeartbeat Heartbeat { get; } = new("incident monitor");

    /// <summary>The current stall as the watchdog sees it (null: healthy); set by the engine.</summary>
    public Func<string?> CurrentStall { get; set; } = () => null;

    /// <summary>Replaces the jobs the checks look at (the engine publishes them after each load).</summary>
    public void Publish(IReadOnlyDictionary<string, IMonitoredJob> jobs) => _jobs = jobs;

    /// <summary>Something may have ended: read the run events now.</summary>
    public void Notify() => _wake.Set();

    public async Task RunAsync(Incarnation incarnation, CancellationToken cancellationToken)
    {
        _incarnation = incarnation;
        var nextCheck = _time.GetUtcNow();
        var started = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Heartbeat.Busy(_time.GetUtcNow());
                if (!started)
                {
                    await CheckCrashLoopAsync(cancellationToken).ConfigureAwait(false);
                    started = true;
                }

                await ProcessEventsAsync(cancellationToken).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                if (now >= nextCheck)
                {
                    await CheckAsync(cancellationToken).ConfigureAwait(false);
                    nextCheck = now + _options.CheckInterval;
                }

                Heartbeat.Sleeping(nextCheck);
                await SleepUntilAsync(nextCheck, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The monitor must survive a failed ledger call; it retries after a pause.
            catch (Exception e)
#pragma warning restore CA1031
            {
                IncidentLog.MonitorFailed(_logger, "incident monitor", e);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Consumes every run event there is; returns how many.</summary>
    public async Task<int> ProcessEventsAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var events = await _store.ListRunEventsAsync(EventBatch, cancellationToken).ConfigureAwait(false);
            if (events.Count == 0)
            {
                return total;
            }

            var names = events.Select(e => e.Run.Job).Distinct(StringComparer.Ordinal).ToList();
            var stored = await _store.GetJobHealthAsync(names, cancellationToken).ConfigureAwait(false);
            var health = new Dictionary<string, JobHealth>(stored, StringComparer.Ordinal);
            var changes = new List<IncidentChange>();
            var pause = new List<string>();
            var jobs = _jobs;

            // Jobs whose every run-caused incident a success of this batch resolved, with nothing
            // opened since: a later success of theirs in the batch has nothing left to resolve.
            var healthy = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in events)
            {
                var run = item.Run;
                var policies = jobs.TryGetValue(run.Job, out var job) ? job.Policies : JobPolicies.Default;
                var resolve = !healthy.Contains(run.Job);
                var verdict = RunIncidentRules.Apply(run, health.GetValueOrDefault(run.Job) ?? new JobHealth { Job = run.Job }, policies, resolve);
                health[run.Job] = verdict.Health;
                changes.AddRange(verdict.Changes);
                if (OpensAny(verdict.Changes))
                {
                    healthy.Remove(run.Job);
                }
                else if (resolve && run.State == RunState.Succeeded && !RunIncidentRules.IsEmpty(run))
                {
                    healthy.Add(run.Job);
                }

                if (verdict.Pause)
                {
                    pause.Add(run.Job);
                    IncidentLog.JobPaused(_logger, run.Job, verdict.Health.FailureStreak);
                }
            }

            await ApplyAsync(
                new IncidentBatch
                {
                    ConsumeEventsThrough = events[^1].Id,
                    Health = [.. names.Select(n => health[n])],
                    Changes = changes,
                    PauseJobs = pause,
                },
                cancellationToken).ConfigureAwait(false);
            total += events.Count;
        }
    }

    private static bool OpensAny(IReadOnlyList<IncidentChange> changes)
    {
        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i] is IncidentOccurrence)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Records a condition the watchdog (or another part) saw, in its own batch.</summary>
    public Task ReportAsync(IncidentChange change, CancellationToken cancellationToken) =>
        ApplyAsync(new IncidentBatch { Changes = [change] }, cancellationToken);

    /// <summary>
    /// Records a stall the watchdog declared. When the ledger cannot take it (a locked or failing
    /// ledger is often the stall itself), the stall stays pending and the next check records it,
    /// resolved too when the stall is over by then: a stall is never lost for being a ledger stall.
    /// </summary>
    public Task ReportStallAsync(string detail)
    {
        lock (_stallGate)
        {
            _unrecordedStall = detail;
            _stallReport = RecordStallAsync(detail);
            return _stallReport;
        }
    }

    private async Task RecordStallAsync(string detail)
    {
        await ApplyAsync(new IncidentBatch { Changes = [StallOccurrence(detail)] }, CancellationToken.None).ConfigureAwait(false);
        StallRecorded(detail);
    }

    private IncidentOccurrence StallOccurrence(string detail) =>
        new() { Kind = IncidentKind.SchedulerStalled, Node = _node, Detail = detail };

    private void StallRecorded(string detail)
    {
        lock (_stallGate)
        {
            if (ReferenceEquals(_unrecordedStall, detail))
            {
                _unrecordedStall = null;
            }
        }
    }

    private async Task ApplyAsync(IncidentBatch batch, CancellationToken cancellationToken)
    {
        var result = await _store.ApplyIncidentBatchAsync(batch, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        foreach (var incident in result.Opened)
        {
            IncidentLog.Opened(_logger, incident.Id, incident.Kind.Name(), Subject(incident), incident.Detail);
        }

        foreach (var incident in result.Resolved)
        {
            IncidentLog.Resolved(_logger, incident.Id, incident.Kind.Name(), Subject(incident), incident.Resolution ?? string.Empty);
        }

        if (result.Opened.Count > 0 || result.Resolved.Count > 0)
        {
            _noticesQueued();
        }
    }

    private string Subject(IncidentRecord incident) => incident.Job ?? "node " + (incident.Node ?? _node);

    private async Task SleepUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var signal = _wake.WaitAsync();
        var remaining = until - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero || signal.IsCompleted)
        {
            return;
        }

        using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(signal, Task.Delay(remaining, _time, delayCancel.Token)).ConfigureAwait(false);
        await delayCancel.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
