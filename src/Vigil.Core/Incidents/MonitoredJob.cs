using Vigil.Jobs;
using Vigil.Scheduling;

namespace Vigil.Incidents;

/// <summary>What the incident monitor reads of a job. The engine's own job objects are it, so publishing them costs a reference each.</summary>
internal interface IMonitoredJob
{
    string Name { get; }

    JobPolicies Policies { get; }

    Schedule Schedule { get; }

    DateTimeOffset CreatedAt { get; }

    /// <summary>Enabled, not paused, not removed.</summary>
    bool IsActive { get; }
}

/// <summary>A job for the monitor alone (tests).</summary>
internal sealed record MonitoredJob(string Name, JobPolicies Policies, Schedule Schedule, DateTimeOffset CreatedAt, bool IsActive) : IMonitoredJob;

/// <summary>Derived thresholds of an <see cref="IMonitoredJob"/>.</summary>
internal static class MonitoredJobs
{
    /// <summary>
    /// How late a slot may be before it is past due: max(grace, 2 × period). A one-shot has no
    /// period; its grace alone applies.
    /// </summary>
    public static TimeSpan PastDueAfter(this IMonitoredJob job)
    {
        var period = job.Schedule.NominalPeriod;
        var grace = job.Policies.EffectiveGrace(period);
        return period is { } p && 2 * p > grace ? 2 * p : grace;
    }
}
