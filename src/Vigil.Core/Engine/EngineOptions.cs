using Vigil.Alerts;
using Vigil.Incidents;

namespace Vigil.Engine;

/// <summary>How the engine runs: its node identity and global limits.</summary>
public sealed record EngineOptions
{
    /// <summary>This node's name (default: the host name).</summary>
    public required string Node { get; init; }

    /// <summary>Where per-run files live (result files): <c>&lt;data_dir&gt;/runs</c>.</summary>
    public required string RunsDirectory { get; init; }

    /// <summary>At most this many runs at once on this node (default 16).</summary>
    public int MaxConcurrentRuns { get; init; } = 16;

    /// <summary>How long a drain waits for running runs before interrupting them (default 5m).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the incarnation's lease lasts without renewal (default 30s; renewed every third of it).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest the loop sleeps without a reason to wake (a safety net for missed wake-ups; default 1m).</summary>
    public TimeSpan MaxSleep { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The incident monitor, the stall watchdog and alert delivery.</summary>
    public IncidentOptions Incidents { get; init; } = new();

    /// <summary>Where incident notices go besides the log (which always gets them).</summary>
    public IReadOnlyList<IAlertSink> AlertSinks { get; init; } = [];

    /// <summary>This process's id (recorded with the incarnation).</summary>
    public int ProcessId { get; init; } = Environment.ProcessId;
}
