using Vigil.Ledger;
using Vigil.Supervision;

namespace Vigil.Engine;

/// <summary>A run this incarnation started and supervises until it is recorded terminal.</summary>
internal sealed class ActiveRun(RunRecord run, JobRuntime job, IRunningAction action, DateTimeOffset startedAt, DateTimeOffset deadline)
{
    private readonly TaskCompletionSource _endRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
