using Vigil.Ledger;

namespace Vigil.Jobs;

/// <summary>
/// A job's policies. Built-in defaults are here; the config's <c>defaults:</c> and the job's own
/// keys override them, in that order.
/// </summary>
public sealed record JobPolicies
{
    /// <summary>The built-in defaults (PRODUCT.md "Policies").</summary>
    public static JobPolicies Default { get; } = new();

    /// <summary>Hard wall-clock limit from the start of a run (default 1h).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Limit on time without output (off by default).</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Time between the cooperative cancel (SIGTERM) and the kill (SIGKILL of the tree); default 10s.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>What to do with a run whose process died under it.</summary>
    public InterruptPolicy OnInterrupt { get; init; } = InterruptPolicy.Retry;

    /// <summary>
    /// What a daemon stop does to the job's running command runs: detach (default; they keep
    /// running under their shims and the next start adopts them) or drain. HTTP and in-process
    /// actions cannot outlive the process and always drain.
    /// </summary>
    public StopPolicy OnStop { get; init; } = StopPolicy.Detach;

    /// <summary>Bounds on new attempts.</summary>
    public RetryPolicy Retry { get; init; } = new();

    /// <summary>What to do when a slot is due while an earlier run of the job is still active.</summary>
    public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Skip;

    /// <summary>What to do with the slots that fell due while the daemon was down.</summary>
    public CatchUpPolicy CatchUp { get; init; } = CatchUpPolicy.Latest;

    /// <summary>With <see cref="CatchUpPolicy.All"/>, the most missed slots run; older ones are recorded missed (default 10).</summary>
    public int MaxCatchUp { get; init; } = 10;

    /// <summary>How late a slot may start and still run; null means half the schedule's period clamped to [2m, 2h].</summary>
    public TimeSpan? Grace { get; init; }

    /// <summary>Upstream jobs whose latest slot before this one must have succeeded.</summary>
    public IReadOnlyList<string> After { get; init; } = [];

    /// <summary>Runs of one session never overlap; null when the job has none.</summary>
    public string? Session { get; init; }

    /// <summary>Silence and empty-streak expectations.</summary>
    public ExpectPolicy Expect { get; init; } = new();

    /// <summary>Consecutive failures before an incident opens (default 3).</summary>
    public int AlertAfterFailures { get; init; } = 3;

    /// <summary>Consecutive failures before the job is paused (off by default).</summary>
    public int? PauseAfterFailures { get; init; }

    /// <summary>The grace actually applied for a schedule with nominal period <paramref name="period"/>.</summary>
    public TimeSpan EffectiveGrace(TimeSpan? period)
    {
        if (Grace is { } grace)
        {
            return grace;
        }

        var half = period is { } p ? p / 2 : TimeSpan.FromHours(2);
        return half < TimeSpan.FromMinutes(2) ? TimeSpan.FromMinutes(2)
            : half > TimeSpan.FromHours(2) ? TimeSpan.FromHours(2)
            : half;
    }
}

/// <summary><c>on_interrupt</c>.</summary>
public enum InterruptPolicy
{
    /// <summary>At-least-once: a new attempt with <c>VIGIL_RESUMED=1</c>, within the retry bounds.</summary>
    Retry,

    /// <summary>At-most-once: recorded as interrupted, not re-run.</summary>
    Record,
}

/// <summary><c>on_stop</c>.</summary>
public enum StopPolicy
{
    /// <summary>The daemon stops at once; the run keeps going under its shim and the next start adopts it.</summary>
    Detach,

    /// <summary>The daemon waits for the run up to <c>drain_timeout</c>, then interrupts it.</summary>
    Drain,
}

/// <summary><c>overlap</c>.</summary>
public enum OverlapPolicy
{
    /// <summary>Record the slot as skipped ("previous run still active").</summary>
    Skip,

    /// <summary>Buffer one slot until the active run ends.</summary>
    Queue,

    /// <summary>Run concurrently.</summary>
    Allow,

    /// <summary>Cancel the active run and start the new one.</summary>
    Replace,
}

/// <summary><c>catch_up</c>.</summary>
public enum CatchUpPolicy
{
    /// <summary>Run the latest missed slot if within grace; record the others missed.</summary>
    Latest,

    /// <summary>Run each missed slot (at most <see cref="JobPolicies.MaxCatchUp"/>).</summary>
    All,

    /// <summary>Record every missed slot as missed.</summary>
    None,
}

/// <summary><c>retry</c>: bounded attempts with exponential backoff inside a window.</summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts per slot, the first included (default 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The wait before the second attempt; doubled for each further attempt (default 30s).</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>No attempt starts later than slot + window, nor at or after the job's next slot (default 6h).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Which outcomes are retried (default: interrupted only).</summary>
    public IReadOnlyList<RunState> On { get; init; } = [RunState.Interrupted];

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 or more): backoff × 2^(attempt-2), saturating.</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        if (attempt < 2)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(attempt - 2, 30);
        var ticks = Backoff.Ticks;
        for (var i = 0; i < doublings && ticks < TimeSpan.MaxValue.Ticks / 2; i++)
        {
            ticks *= 2;
        }

        return TimeSpan.FromTicks(ticks);
    }
}

/// <summary><c>expect</c>.</summary>
public sealed record ExpectPolicy
{
    /// <summary>No success for this long opens an incident (off by default).</summary>
    public TimeSpan? MaxSilence { get; init; }

    /// <summary>This many consecutive empty results open an incident (off by default).</summary>
    public int? EmptyStreak { get; init; }
}
