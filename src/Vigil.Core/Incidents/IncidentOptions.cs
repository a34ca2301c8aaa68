namespace Vigil.Incidents;

/// <summary>How the incident monitor, the stall watchdog and the alert outbox run.</summary>
public sealed record IncidentOptions
{
    /// <summary>How often the periodic checks run: past due, silence, crash-loop end, reminders (default 15s).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A reminder for an open, unacknowledged incident this long after its last notice; null: none (default 6h).</summary>
    public TimeSpan? RemindEvery { get; init; } = TimeSpan.FromHours(6);

    /// <summary>A loop that has not completed a pass (or woken when due) for this long is stalled (default 2m).</summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the watchdog thread looks at the loops, in real time (default 1s).</summary>
    public TimeSpan WatchdogInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called once, on the watchdog thread, when a loop stalls (the host exits with <c>on_stall: exit</c>).</summary>
    public Action<string>? OnStall { get; init; }

    /// <summary>First retry of a notice a sink did not take; doubled per attempt (default 5s).</summary>
    public TimeSpan AlertBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between attempts of one notice (default 15m).</summary>
    public TimeSpan AlertMaxBackoff { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one sink may take to deliver one notice (default 30s).</summary>
    public TimeSpan AlertTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Crash loop: this many incarnations without a clean stop ... (default 3).</summary>
    public int CrashLoopIncarnations { get; init; } = 3;

    /// <summary>... within this window (default 10m); an incarnation up this long ends the loop.</summary>
    public TimeSpan CrashLoopWindow { get; init; } = TimeSpan.FromMinutes(10);
}
