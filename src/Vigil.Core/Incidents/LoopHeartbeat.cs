namespace Vigil.Incidents;

/// <summary>
/// A loop's sign of life: busy since an instant (a pass under way), or asleep until an instant. The
/// loop is overdue by how long a pass has been under way, or by how far past its wake-up it still
/// sleeps; a loop that sleeps an hour because nothing is due is not overdue.
/// </summary>
/// <remarks>
/// A pass that fails keeps the loop busy from the first failed pass: a loop whose every pass fails
/// (a ledger it cannot write) is making no progress, and is stalled as much as one that never returns.
/// </remarks>
public sealed class LoopHeartbeat(string name)
{
    private long _busySinceTicks;
    private long _sleepUntilTicks;

    /// <summary>The loop's name, e.g. <c>planner</c>.</summary>
    public string Name { get; } = name;

    /// <summary>A pass begins (the earliest unfinished pass's start is kept).</summary>
    public void Busy(DateTimeOffset now) => Interlocked.CompareExchange(ref _busySinceTicks, now.UtcTicks, 0);

    /// <summary>A pass completed; the loop sleeps until <paramref name="until"/> unless woken earlier.</summary>
    public void Sleeping(DateTimeOffset until)
    {
        Interlocked.Exchange(ref _sleepUntilTicks, until.UtcTicks);
        Interlocked.Exchange(ref _busySinceTicks, 0);
    }

    /// <summary>How long the loop has gone without the progress it owes at <paramref name="now"/>.</summary>
    public TimeSpan Overdue(DateTimeOffset now)
    {
        var busy = Interlocked.Read(ref _busySinceTicks);
        if (busy != 0)
        {
            return TimeSpan.FromTicks(Math.Max(0, now.UtcTicks - busy));
        }

        var until = Interlocked.Read(ref _sleepUntilTicks);
        return until == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, now.UtcTicks - until));
    }
}
