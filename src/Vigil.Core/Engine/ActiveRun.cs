using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Supervision;
using Vigil.Supervision.Shim;

namespace Vigil.Engine;

/// <summary>A run this incarnation started and supervises until it is recorded terminal.</summary>
internal sealed class ActiveRun(RunRecord run, JobRuntime job, IRunningAction action, DateTimeOffset startedAt, DateTimeOffset deadline)
{
    private readonly TaskCompletionSource _endRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _detachRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunRecord Run { get; } = run;

    public JobRuntime Job { get; } = job;

    public IRunningAction Action { get; } = action;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>Completes when the supervision task has recorded the run terminal.</summary>
    public Task Recorded => RecordedSource.Task;

    public TaskCompletionSource RecordedSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when someone other than the action decides how the run ends (replace, cancel, drain).</summary>
    public (RunState State, string Reason)? EndRequest { get; private set; }

    public Task EndRequested => _endRequested.Task;

    /// <summary>
    /// Whether a stop leaves this run to its shim: a command under a run supervisor whose job says
    /// <c>on_stop: detach</c>. Everything else (HTTP, handlers, <c>on_stop: drain</c>) is drained.
    /// </summary>
    public bool CanDetach => Action is RunningShim && Job.Policies.OnStop == StopPolicy.Detach && Job.Definition.Action.CanDetach;

    /// <summary>Completes when the daemon stops and leaves the run to its shim.</summary>
    public Task DetachRequested => _detachRequested.Task;

    /// <summary>Stops supervising without recording anything: the run stays running for the next incarnation to adopt.</summary>
    public void RequestDetach() => _detachRequested.TrySetResult();

    /// <summary>Asks the supervisor to stop the action and record <paramref name="state"/>; the first request wins.</summary>
    public void RequestEnd(RunState state, string reason)
    {
        lock (_endRequested)
        {
            if (EndRequest is not null)
            {
                return;
            }

            EndRequest = (state, reason);
        }

        _endRequested.TrySetResult();
    }
}
