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

    /// <summary>
    /// How long before a slot's instant the planner claims it (default 50ms): the running mark is
    /// committed ahead, and the action starts on the instant itself, so a thousand jobs due on the
    /// same second do not wait for their writes. Zero claims at the instant.
    /// </summary>
    /// <remarks>
    /// A crash inside the window leaves a run recorded as running that never started: recovery
    /// records it interrupted and applies <c>on_interrupt</c>, as for any run cut short.
    /// </remarks>
    public TimeSpan FireLead { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How to start the run supervisor (<c>vigil shim</c>): the <c>vigil</c> executable, or the
    /// <c>dotnet</c> host followed by <c>vigil.dll</c>. When set, every command action runs under a
    /// shim that outlives this process (<c>on_stop: detach</c>, adoption on the next start); when
    /// null, commands are this process's children and a stop always drains them.
    /// </summary>
    public IReadOnlyList<string>? ShimCommand { get; init; }

    /// <summary>The incident monitor, the stall watchdog and alert delivery.</summary>
    public IncidentOptions Incidents { get; init; } = new();

    /// <summary>Where incident notices go besides the log (which always gets them).</summary>
    public IReadOnlyList<IAlertSink> AlertSinks { get; init; } = [];

    /// <summary>This process's id (recorded with the incarnation).</summary>
    public int ProcessId { get; init; } = Environment.ProcessId;
}
