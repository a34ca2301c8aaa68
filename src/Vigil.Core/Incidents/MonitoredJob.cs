using Vigil.Jobs;
using Vigil.Scheduling;

namespace Vigil.Incidents;

/// <summary>What the incident monitor knows about a job: a snapshot the engine publishes after each load.</summary>
internal sealed record MonitoredJob(string Name, JobPolicies Policies, Schedule Schedule, DateTimeOffset CreatedAt, bool Active)
{
    /// <summary>
    /// How late a slot may be before it is past due: max(grace, 2 × period). A one-shot has no
    /// period; its grace alone applies.
    /// </summary>
    public TimeSpan PastDueAfter
    {
        get
        {
            var period = Schedule.NominalPeriod;
            var grace = Policies.EffectiveGrace(period);
            return period is { } p && 2 * p > grace ? 2 * p : grace;
        }
    }
}
