using Vigil.Configuration;
using Vigil.Ledger;

namespace Vigil.Api.Hosting;

/// <summary>
/// What the HTTP surface needs from the daemon that hosts it: the config in force, the ledger, the
/// clock, and the engine's state and controls. The daemon implements it; the API never reaches into
/// the engine otherwise.
/// </summary>
public interface IDaemonLink
{
    /// <summary>The config in force (replaced on reload).</summary>
    VigilConfig Config { get; }

    /// <summary>The daemon's ledger (shared: the API never disposes it).</summary>
    IRunStore Store { get; }

    /// <summary>The daemon's clock.</summary>
    TimeProvider Time { get; }

    /// <summary>Recovery is done and the loop runs.</summary>
    bool Ready { get; }

    /// <summary>When the engine's loop last went round (null before it started).</summary>
    DateTimeOffset? LastLoopAt { get; }

    /// <summary>The longest the loop sleeps when nothing is due: a loop quieter than this (plus slack) is stalled.</summary>
    TimeSpan MaxLoopSleep { get; }

    /// <summary>Tells the engine that the ledger changed (jobs or pending runs).</summary>
    void Wake();

    /// <summary>Asks the daemon to drain, as SIGTERM does; false when it already drains.</summary>
    bool RequestDrain();
}
