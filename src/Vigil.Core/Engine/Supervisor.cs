using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;
using Vigil.Supervision;
using Vigil.Supervision.Shim;

namespace Vigil.Engine;

/// <summary>
/// Starts claimed runs and watches each until it is recorded terminal: its own end, its timeout,
/// its idle timeout, or an end requested by replace, cancel or drain.
/// </summary>
/// <remarks>
/// <para>A run is started only after its running mark is committed (the caller claims it first, G4).</para>
/// <para>At a deadline the action is asked to stop (SIGTERM to its process group, HTTP abort, token),
/// then after <c>kill_grace</c> killed (SIGKILL to the whole tree), and the run is recorded at that
/// moment whether or not the action ever returns: a handler that ignores its token or a process
/// stuck in the kernel cannot wedge the run, its session or its concurrency slot (G3).</para>
/// </remarks>
internal sealed class Supervisor(
    IRunStore store,
    IReadOnlyList<IActionRunner> runners,
    EngineOptions options,
    TimeProvider time,
    ILogger logger,
    Action onEnded)
{
    private readonly ConcurrentDictionary<long, ActiveRun> _active = new();

    // Absolute once: a run's result file is handed to its command, whatever its working directory.
    private readonly string _runsDirectory = Path.GetFullPath(options.RunsDirectory);

    // Active runs per job, kept beside _active so that the start path asks in O(1) instead of
    // walking every active run for every pending one.
    private readonly Dictionary<string, int> _perJob = new(StringComparer.Ordinal);

    public Incarnation? Owner { get; set; }

    public int Count => _active.Count;

    public IEnumerable<ActiveRun> Active => _active.Values;

    public int CountFor(string job)
    {
        lock (_perJob)
        {
            return _perJob.GetValueOrDefault(job);
        }
    }

    public IEnumerable<ActiveRun> ActiveFor(string job) => _active.Values.Where(a => a.Job.Name == job);

    /// <summary>Starts the action of a run whose running mark is committed (its start and deadline as recorded).</summary>
    public void Start(RunRecord run, JobRuntime job) => Launch(Prepare([(run, job)]));

    /// <summary>
    /// Prepares the starts of many runs whose running marks are committed (a burst due on one
    /// instant), so that <see cref="Launch"/> on the instant has little left to do.
    /// </summary>
    public PreparedStarts Prepare(IReadOnlyList<(RunRecord Run, JobRuntime Job)> runs)
    {
        var launchers = new Func<IRunningAction>[runs.Count];
        for (var i = 0; i < launchers.Length; i++)
        {
            if (runs[i].Run.StartedAt is null)
            {
                throw new ArgumentException($"run {runs[i].Run.Id} has no start: only runs whose running mark is committed start", nameof(runs));
            }

            launchers[i] = PrepareAction(runs[i].Run, runs[i].Job);
        }

        return new PreparedStarts(runs, launchers);
    }

    /// <summary>
    /// Starts prepared runs: every action first, then their supervision, so that the last action
    /// does not wait behind the set-up of every supervisor before it.
    /// </summary>
    public void Launch(PreparedStarts prepared)
    {
        var runs = prepared.Runs;
        var actions = new IRunningAction[runs.Count];
        for (var i = 0; i < actions.Length; i++)
        {
            try
            {
                actions[i] = prepared.Launchers[i]();
            }
#pragma warning disable CA1031 // Whatever the runner throws becomes the run's failure reason, never a crash.
            catch (Exception e)
#pragma warning restore CA1031
            {
                actions[i] = new FailedAction($"could not start: {e.Message}", time);
            }
        }

        for (var i = 0; i < actions.Length; i++)
        {
            var (run, job) = runs[i];
            var startedAt = run.StartedAt.GetValueOrDefault();
            var deadline = run.Deadline ?? startedAt + job.Policies.Timeout;
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log.RunStarted(logger, run.Id, run.Job, Iso.Format(run.Slot), run.Attempt);
            }

            Supervise(new ActiveRun(run, job, actions[i], startedAt, deadline));
        }
    }

    private Func<IRunningAction> PrepareAction(RunRecord run, JobRuntime job)
    {
        var context = new RunContext
        {
            Job = run.Job,
            Slot = run.Slot,
            Attempt = run.Attempt,
            RunId = run.Id,
            Resumed = run.Resumed,
            Session = run.Session,
            ResultFile = ShimFiles.For(_runsDirectory, run.Id).ResultFile,
        };

        try
        {
            var runner = RunnerFor(job.Definition.Action)
                ?? throw new InvalidOperationException($"no runner for {job.Definition.Action.Kind} actions");
            return runner.Prepare(job.Definition.Action, context);
        }
#pragma warning disable CA1031 // Whatever the runner throws becomes the run's failure reason, never a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var failed = new FailedAction($"could not start: {e.Message}", time);
            return () => failed;
        }
    }

    private IActionRunner? RunnerFor(Jobs.ActionSpec action)
    {
        for (var i = 0; i < runners.Count; i++)
        {
            if (runners[i].CanRun(action))
            {
                return runners[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Supervises a run an earlier incarnation started and this one adopted (its owner is already
    /// this incarnation in the ledger): its deadline and start are the original ones.
    /// </summary>
    public void Adopt(RunRecord run, JobRuntime job, IRunningAction action)
    {
        var startedAt = run.StartedAt ?? time.GetUtcNow();
        Supervise(new ActiveRun(run, job, action, startedAt, run.Deadline ?? startedAt + job.Policies.Timeout));
    }

    private void Supervise(ActiveRun active)
    {
        lock (_perJob)
        {
            _perJob[active.Job.Name] = _perJob.GetValueOrDefault(active.Job.Name) + 1;
        }

        _active[active.Run.Id] = active;
        // Behind the actions of a burst on the pool's global queue (see RunningHandler), not ahead of them.
        _ = Task.Factory.StartNew(
            () => SuperviseAsync(active),
            CancellationToken.None,
            TaskCreationOptions.PreferFairness | TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default).Unwrap();
    }

    private async Task SuperviseAsync(ActiveRun active)
    {
        var policies = active.Job.Policies;
        RunState state;
        string? reason;
        ActionResult? result = null;
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                var wakeAt = active.Deadline;
                if (policies.IdleTimeout is { } idle)
                {
                    var lastOutput = Math.Max(active.Action.LastOutputTicks, active.StartedAt.UtcTicks);
                    var idleAt = new DateTimeOffset(lastOutput, TimeSpan.Zero) + idle;
                    if (idleAt < wakeAt)
                    {
                        wakeAt = idleAt;
                    }
                }

                if (active.Action.Completion.IsCompleted)
                {
                    break;
                }

                if (active.EndRequest is not null || active.DetachRequested.IsCompleted)
                {
                    break;
                }

                if (now >= wakeAt)
                {
                    break;
                }

                using var delayCancel = new CancellationTokenSource();
                var delay = Task.Delay(wakeAt - now, time, delayCancel.Token);
                await Task.WhenAny(active.Action.Completion, active.EndRequested, active.DetachRequested, delay).ConfigureAwait(false);
                await delayCancel.CancelAsync().ConfigureAwait(false);
            }

            if (active.DetachRequested.IsCompleted && active.EndRequest is null && !active.Action.Completion.IsCompleted)
            {
                Release(active);
                return;
            }

            if (active.Action.Completion.IsCompleted && active.EndRequest is null)
            {
                result = await active.Action.Completion.ConfigureAwait(false);
                state = result.Success ? RunState.Succeeded : result.Interrupted ? RunState.Interrupted : RunState.Failed;
                reason = result.Reason;
            }
            else
            {
                var now = time.GetUtcNow();
                if (active.EndRequest is { } request)
                {
                    (state, reason) = request;
                }
                else if (now >= active.Deadline)
                {
                    (state, reason) = (RunState.TimedOut, $"timeout {Duration.Format(policies.Timeout)} exceeded");
                }
                else
                {
                    (state, reason) = (RunState.TimedOut, $"no output for {Duration.Format(policies.IdleTimeout!.Value)} (idle_timeout)");
                }

                await StopAsync(active).ConfigureAwait(false);
                if (active.Action.Completion.IsCompletedSuccessfully)
                {
                    result = active.Action.Completion.Result;

                    // An action that reports success finished its work, whatever the drain asked in
                    // the meantime (it may have ended in the instant the drain timed out): a run
                    // whose action finished is never recorded interrupted.
                    if (state == RunState.Interrupted && result.Success)
                    {
                        (state, reason) = (RunState.Succeeded, null);
                    }
                }
            }
        }
#pragma warning disable CA1031 // A supervision failure must still record the run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            state = RunState.Failed;
            reason = $"supervisor error: {e.Message}";
        }

        await RecordAsync(active, state, reason ?? string.Empty, result).ConfigureAwait(false);
    }

    /// <summary>Asks the action to stop, waits kill_grace, kills it. Returns when the action ended or was killed.</summary>
    private async Task StopAsync(ActiveRun active)
    {
        active.Action.RequestStop();
        var grace = active.Job.Policies.KillGrace;
        if (grace > TimeSpan.Zero && !active.Action.Completion.IsCompleted)
        {
            using var delayCancel = new CancellationTokenSource();
            await Task.WhenAny(active.Action.Completion, Task.Delay(grace, time, delayCancel.Token)).ConfigureAwait(false);
            await delayCancel.CancelAsync().ConfigureAwait(false);
        }

        if (!active.Action.Completion.IsCompleted)
        {
            active.Action.Kill();
        }
    }

    private async Task RecordAsync(ActiveRun active, RunState state, string reason, ActionResult? result)
    {
        var owner = Owner!;
        var run = active.Run;
        try
        {
            var now = time.GetUtcNow();
            if (state == RunState.Interrupted)
            {
                var decision = await DecideRetryAsync(active, state, reason, now).ConfigureAwait(false);
                await store.InterruptAsync(
                    [new Interruption { RunId = run.Id, OwnerIncarnationId = owner.Id, Reason = decision.Reason, RetryNotBefore = decision.At }],
                    now,
                    CancellationToken.None).ConfigureAwait(false);
                reason = decision.Reason;
                Telemetry.VigilMetrics.RunEnded(run.Job, state, now - active.StartedAt);
            }
            else
            {
                RetryDecision? retry = null;
                if (state is RunState.Failed or RunState.TimedOut && active.Job.Policies.Retry.On.Contains(state))
                {
                    retry = await DecideRetryAsync(active, state, reason, now).ConfigureAwait(false);
                    reason = retry.Value.Reason;
                }

                var outcome = new RunOutcome
                {
                    State = state,
                    Reason = state == RunState.Succeeded ? null : reason,
                    ExitCode = result?.ExitCode,
                    Output = result?.Output ?? active.Action.OutputTail,
                    ResultStatus = result?.ResultStatus,
                    Summary = result?.Summary,
                    TokensIn = result?.TokensIn,
                    TokensOut = result?.TokensOut,
                    RetryNotBefore = retry is { Retry: true } r ? r.At : null,
                };
                await store.FinishAsync(run.Id, owner, outcome, now, CancellationToken.None).ConfigureAwait(false);
                Telemetry.VigilMetrics.RunEnded(run.Job, state, now - active.StartedAt);
            }

            // The outcome is in the ledger: the run's directory has served its purpose.
            (active.Action as RunningShim)?.DeleteFiles();
        }
#pragma warning disable CA1031 // The run stays running in the ledger; recovery will find it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.RecordFailed(logger, e, run.Id);
        }
        finally
        {
            Release(active);
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log.RunEnded(logger, run.Id, run.Job, state.Name(), string.IsNullOrEmpty(reason) ? string.Empty : ": " + reason);
            }
            onEnded();
        }
    }

    /// <summary>Forgets a run: recorded terminal, or left to its shim (detached).</summary>
    private void Release(ActiveRun active)
    {
        if (_active.TryRemove(active.Run.Id, out _))
        {
            lock (_perJob)
            {
                var left = _perJob.GetValueOrDefault(active.Job.Name) - 1;
                if (left > 0)
                {
                    _perJob[active.Job.Name] = left;
                }
                else
                {
                    _perJob.Remove(active.Job.Name);
                }
            }
        }

        active.Action.Dispose();
        active.RecordedSource.TrySetResult();
    }

    private async Task<RetryDecision> DecideRetryAsync(ActiveRun active, RunState state, string reason, DateTimeOffset now)
    {
        var attempts = await store.ListAttemptsAsync(active.Run.Job, active.Run.Slot, CancellationToken.None).ConfigureAwait(false);
        return RetryDecider.Decide(active.Run, state, reason, active.Job.Policies, active.Job.Schedule, attempts, now);
    }

    /// <summary>An action that failed to start: completes at once with the reason.</summary>
    private sealed class FailedAction(string reason, TimeProvider time) : IRunningAction
    {
        public Task<ActionResult> Completion { get; } = Task.FromResult(new ActionResult { Success = false, Reason = reason });

        public long LastOutputTicks { get; } = time.GetUtcNow().UtcTicks;

        public string OutputTail => string.Empty;

        public void RequestStop()
        {
        }

        public void Kill()
        {
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>Runs whose starts are prepared (<see cref="Supervisor.Prepare"/>), to launch together.</summary>
internal sealed record PreparedStarts(
    IReadOnlyList<(RunRecord Run, JobRuntime Job)> Runs,
    Func<IRunningAction>[] Launchers);
