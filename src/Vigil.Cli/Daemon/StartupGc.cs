using System.Runtime;
using Vigil.Engine;

namespace Vigil.Cli.Daemon;

/// <summary>
/// Non-concurrent garbage collection while the engine starts, back to the previous mode once it is
/// ready.
/// </summary>
/// <remarks>
/// Loading a big job table builds every job's runtime at once: a million long-lived objects that
/// background collections keep re-examining concurrently. Blocking collections cost a third less
/// CPU for that phase; once the engine runs, the default (concurrent) mode keeps pauses short
/// for fire lateness.
/// </remarks>
internal static class StartupGc
{
    /// <summary>Switches to batch mode until <paramref name="engine"/> is ready (or stops).</summary>
    public static void UntilReady(VigilEngine engine)
    {
        var previous = GCSettings.LatencyMode;
        if (previous != GCLatencyMode.Interactive)
        {
            return;
        }

        GCSettings.LatencyMode = GCLatencyMode.Batch;
        _ = engine.Ready.ContinueWith(
            _ => GCSettings.LatencyMode = previous,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
