using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Alerts;
using Vigil.Incidents;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;
using Vigil.Supervision;
using Vigil.Supervision.Shim;

namespace Vigil.Engine;

/// <summary>
/// The scheduler and run supervisor of one node: records its incarnation, recovers what an earlier
/// one left running, then plans slots and supervises runs until stopped, and drains on the way out.
/// </summary>
/// <remarks>
/// <para>Order on start: incarnation → recovery → jobs → loop. No slot starts before recovery has
/// recorded every run an earlier incarnation left running.</para>
/// <para>The loop sleeps until the next due instant (a heap over each job's next slot, so a fire
/// costs O(log jobs)), a pending run's backoff, a run's end, or a wake-up from the CLI; it never
/// polls to find out what is due.</para>
/// <para>Every decision lands in the ledger before it has an effect: a slot is a row before its run
/// starts, a run is running (with this incarnation) before its action starts, and a drain's marks
/// are committed before the drain waits.</para>
/// </remarks>
public sealed partial class VigilEngine : IAsyncDisposable
{
    private readonly IRunStore _store;
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Supervisor _supervisor;
    private readonly WakeSignal _wake = new();
    private readonly Dictionary<string, JobRuntime> _jobs = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(JobRuntime Job, int Version), long> _due = new();
    private readonly TaskCompletionSource<RecoveryReport> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _interrupt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<SlotDecision> _decisions = [];
    private readonly LoopHeartbeat _plannerBeat = new("planner");
    private readonly IncidentMonitor _monitor;
    private readonly AlertDispatcher _alerts;
    private StallWatchdog? _watchdog;
    private volatile bool _reloadRequested;
    private Incarnation? _incarnation;
    private long _lastLoopTicks;

    /// <summary>
    /// Creates an engine over <paramref name="store"/> that runs commands, HTTP calls and the
    /// in-process handlers registered in <paramref name="handlers"/>.
    /// </summary>
    public static VigilEngine Create(IRunStore store, EngineOptions options, TimeProvider time, HandlerRegistry? handlers = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        IActionRunner[] runners =
        [
            options.ShimCommand is { } shim ? new ShimRunner(shim, options.RunsDirectory, time) : new CommandRunner(time),
            new HttpRunner(time),
            new HandlerRunner(handlers ?? new HandlerRegistry(), time),
        ];
        return new VigilEngine(store, options, time, runners, logger);
    }

    internal VigilEngine(IRunStore store, EngineOptions options, TimeProvider time, IReadOnlyList<IActionRunner> runners, ILogger? logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _supervisor = new Supervisor(store, runners, options, time, _logger, Wake);
        _alerts = new AlertDispatcher(store, [new LogSink(_logger), .. options.AlertSinks], options.Incidents, time, _logger);
        _monitor = new IncidentMonitor(store, options.Incidents, time, _logger, options.Node, _alerts.Notify);
    }

    /// <summary>Completes when recovery is done and the loop is about to plan (systemd READY=1).</summary>
    public Task<RecoveryReport> Ready => _ready.Task;

    /// <summary>
    /// Completes when the loop has finished its first pass after <see cref="Ready"/>: every slot due
    /// at start planned and the pending runs due then started. Cancelled if the engine stops first.
    /// </summary>
    public Task FirstPass => _firstPass.Task;

    /// <summary>This process's incarnation, once started.</summary>
    public Incarnation? Incarnation => _incarnation;

    /// <summary>When the loop last went round (null before it first did): what liveness probes and the heartbeat metric read.</summary>
    public DateTimeOffset? LastLoopAt => Interlocked.Read(ref _lastLoopTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The longest the loop sleeps when nothing is due.</summary>
    public TimeSpan MaxSleep => _options.MaxSleep;

    /// <summary>The number of runs this node is supervising.</summary>
    public int RunningCount => _supervisor.Count;

    /// <summary>The current stall in one line (a loop making no progress), or null while every loop is healthy.</summary>
    public string? Stall => _watchdog?.Stall;

    /// <summary>The watchdog, once the engine runs (tests drive its checks directly).</summary>
    internal StallWatchdog? Watchdog => _watchdog;

    /// <summary>The incident monitor (tests drive its checks directly).</summary>
    internal IncidentMonitor Monitor => _monitor;

    /// <summary>Wakes the loop: something in the ledger may have changed (a manual run, a finished run).</summary>
    public void Wake()
    {
        _wake.Set();
        _monitor.Notify();
    }

    /// <summary>Wakes the loop and re-reads job definitions from the ledger (after a config reload or a CLI change).</summary>
    public void ReloadJobs()
    {
        _reloadRequested = true;
        _wake.Set();
    }

    /// <summary>Sends alerts to <paramref name="sinks"/> (and the log) from now on, instead of <see cref="EngineOptions.AlertSinks"/> (after a config reload).</summary>
    public void ReplaceAlertSinks(IReadOnlyList<IAlertSink> sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _alerts.ReplaceSinks([new LogSink(_logger), .. sinks]);
    }

    /// <summary>A second stop signal: end the drain now, interrupting and recording what still runs.</summary>
    public void Interrupt() => _interrupt.TrySetResult();

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then drains and records a clean stop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        _incarnation = await _store.StartIncarnationAsync(_options.Node, _options.ProcessId, _time.GetUtcNow(), _options.Lease, CancellationToken.None).ConfigureAwait(false);
        _supervisor.Owner = _incarnation;
        Log.IncarnationStarted(_logger, _incarnation.Id, _incarnation.Node, _incarnation.Pid);

        await LoadJobsAsync(CancellationToken.None).ConfigureAwait(false);
        var report = await Recovery.RunAsync(_store, _incarnation, Lookup, _time, _logger, CancellationToken.None, _options.RunsDirectory, AdoptAsync).ConfigureAwait(false);
        _ready.TrySetResult(report);

        using var leaseCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lease = RenewLeaseAsync(leaseCancel.Token);
        using var backgroundCancel = new CancellationTokenSource();
        _watchdog = new StallWatchdog([_plannerBeat, _monitor.Heartbeat], _options.Incidents, _time, _logger, OnStalled, OnStallEnded);
        _monitor.CurrentStall = () => _watchdog.Stall;
        var monitor = _monitor.RunAsync(_incarnation, backgroundCancel.Token);
        var alerts = _alerts.RunAsync(backgroundCancel.Token);
        _watchdog.Start();
        try
        {
            await LoopAsync(leaseCancel.Token).ConfigureAwait(false);
        }
        finally
        {
            _firstPass.TrySetCanceled(CancellationToken.None);

            // The planner stops on purpose; a drain is not a stall.
            _plannerBeat.Sleeping(DateTimeOffset.MaxValue);
            await DrainAsync().ConfigureAwait(false);
            await leaseCancel.CancelAsync().ConfigureAwait(false);
            await lease.ConfigureAwait(false);
            await backgroundCancel.CancelAsync().ConfigureAwait(false);
            await monitor.ConfigureAwait(false);
            await alerts.ConfigureAwait(false);
            await FlushIncidentsAsync().ConfigureAwait(false);
            _watchdog.Dispose();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Supervises a run recovery adopted (the ledger already names this incarnation its owner); false when its job cannot be found.</summary>
    private async Task<bool> AdoptAsync(RunRecord run)
    {
        var job = await RuntimeForAsync(run.Job).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        var handle = new RunningShim(ShimFiles.For(_options.RunsDirectory, run.Id), shimPid: null, run.StartedAt ?? _time.GetUtcNow(), _time);
        _supervisor.Adopt(run, job, handle);
        return true;
    }

    /// <summary>The job as loaded, or, for a job removed since its run started, as the ledger still keeps it.</summary>
    private async Task<JobRuntime?> RuntimeForAsync(string name)
    {
        if (_jobs.TryGetValue(name, out var loaded))
        {
            return loaded;
        }

        var stored = await _store.GetJobAsync(name, CancellationToken.None).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        try
        {
            var definition = JobCodec.Deserialize(stored.Definition);
            var row = new JobRow(stored.Name, System.Text.Encoding.UTF8.GetBytes(stored.Definition), stored.Source, stored.Paused, stored.CreatedAt, stored.UpdatedAt, stored.RemovedAt);
            return new JobRuntime(row, definition, new DefinitionPool().ScheduleOf(definition, stored.CreatedAt));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            Log.InvalidJob(_logger, name, e.Message);
            return null;
        }
    }

    private (JobPolicies Policies, Schedule? Schedule) Lookup(string job) =>
        _jobs.TryGetValue(job, out var runtime) ? (runtime.Policies, runtime.Schedule) : (JobPolicies.Default, null);

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (_reloadRequested)
                {
                    _reloadRequested = false;
                    await LoadJobsAsync(cancellationToken).ConfigureAwait(false);
                }

                var now = _time.GetUtcNow();
                Interlocked.Exchange(ref _lastLoopTicks, now.UtcTicks);
                _plannerBeat.Busy(now);
                await PlanDueAsync(now, cancellationToken).ConfigureAwait(false);
                await StartPendingAsync(now, cancellationToken).ConfigureAwait(false);
                _firstPass.TrySetResult();
                await SleepAsync(now, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (LeaseLostException)
            {
                Log.LeaseLost(_logger);
                throw;
            }
#pragma warning disable CA1031 // The loop must survive a failed ledger call; it retries after a pause.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.LoopFailed(_logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <param name="passedAt">The instant the pass that ends here started pending runs at.</param>
    /// <param name="cancellationToken">Stops the sleep.</param>
    private async Task SleepAsync(DateTimeOffset passedAt, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var wakeAt = now + _options.MaxSleep;
        if (_due.TryPeek(out _, out var dueTicks) && dueTicks - _options.FireLead.Ticks < wakeAt.UtcTicks)
        {
            // The lead: the next slot is claimed that much ahead of its instant (PlanDueAsync).
            wakeAt = new DateTimeOffset(dueTicks - _options.FireLead.Ticks, TimeSpan.Zero);
        }

        // Pending runs due after the pass looked, not after now: a retry whose not_before fell
        // between the pass and this query was not seen by the pass and must wake the loop at once,
        // not after MaxSleep.
        var pending = await _store.GetNextPendingDueAsync(passedAt, cancellationToken).ConfigureAwait(false);
        if (pending is { } p && p < wakeAt)
        {
            wakeAt = p;
        }

        // A pass completed: the planner owes its next sign of life at wakeAt.
        _plannerBeat.Sleeping(wakeAt);
        _monitor.Notify();

        // Measured from a fresh reading: the query above took time, and sleeping "wakeAt - now" from
        // the earlier reading would wake that much after the slot. Rounded up to whole milliseconds:
        // timers drop the fraction, and a wake-up a fraction early finds nothing due yet and spends
        // a pass (and a ledger query) on it.
        var signal = _wake.WaitAsync();
        var remaining = TimeSpan.FromMilliseconds(Math.Ceiling((wakeAt - _time.GetUtcNow()).TotalMilliseconds));
        if (remaining <= TimeSpan.Zero || signal.IsCompleted)
        {
            return;
        }

        using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(remaining, _time, delayCancel.Token);
        await Task.WhenAny(signal, delay).ConfigureAwait(false);
        await delayCancel.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task RenewLeaseAsync(CancellationToken cancellationToken)
    {
        var interval = _options.Lease / 3;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
                if (!await _store.RenewLeaseAsync(_incarnation!, _time.GetUtcNow(), _options.Lease, cancellationToken).ConfigureAwait(false))
                {
                    Log.LeaseLost(_logger);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A missed renewal is retried at the next interval.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.LoopFailed(_logger, e);
            }
        }
    }

    /// <summary>
    /// After the drain: turns the drain's own outcomes into incidents and makes one delivery
    /// attempt, bounded, so a stop does not wait on a dead webhook (what is left is delivered after
    /// the next start).
    /// </summary>
    private async Task FlushIncidentsAsync()
    {
        using var limit = new CancellationTokenSource(_options.Incidents.AlertTimeout, _time);
        try
        {
            await _monitor.ProcessEventsAsync(limit.Token).ConfigureAwait(false);
            await _alerts.DeliverDueAsync(limit.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Stopping must finish; the outbox keeps what was not delivered.
        catch (Exception e)
#pragma warning restore CA1031
        {
            IncidentLog.MonitorFailed(_logger, "final incident pass", e);
        }
    }

    private void OnStalled(string detail)
    {
        var report = _monitor.ReportStallAsync(detail);

        // On the watchdog's own thread: wait a little so that an exit (on_stall: exit) follows a
        // recorded incident when the ledger can take it; a ledger that cannot is part of the stall.
        try
        {
            report.Wait(TimeSpan.FromSeconds(5));
        }
#pragma warning disable CA1031 // The log line is already out; the incident is best effort here.
        catch (Exception e)
#pragma warning restore CA1031
        {
            IncidentLog.MonitorFailed(_logger, "stall report", e);
        }
    }

    private void OnStallEnded(string detail) => _monitor.StallEnded();

    private sealed class LeaseLostException : Exception
    {
    }
}
