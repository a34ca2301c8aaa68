using System.Diagnostics.Metrics;
using Vigil.Ledger;

namespace Vigil.Telemetry;

/// <summary>
/// The engine's instruments (<see cref="System.Diagnostics.Metrics"/>, meter <c>Vigil</c>): runs by
/// job and state, fire lateness, run duration. The daemon exposes them at <c>/metrics</c> and over
/// OTLP; nothing here knows about either.
/// </summary>
public static class VigilMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Vigil";

    /// <summary>Bucket bounds (seconds) for lateness and durations: 5 ms to 1 h.</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>(
        "vigil.runs", unit: null, description: "Runs that reached a final state, by job and state (skipped and missed slots included)");

    private static readonly Histogram<double> Lateness = Meter.CreateHistogram(
        "vigil.fire.lateness", unit: "s", description: "How long after its slot a scheduled run started",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Histogram<double> Durations = Meter.CreateHistogram(
        "vigil.run.duration", unit: "s", description: "How long runs took from start to final state, by job and state",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>A run of <paramref name="job"/> reached <paramref name="state"/>.</summary>
    public static void RunEnded(string job, RunState state, TimeSpan? duration = null)
    {
        var jobTag = new KeyValuePair<string, object?>("job", job);
        var stateTag = new KeyValuePair<string, object?>("state", state.Name());
        Runs.Add(1, jobTag, stateTag);
        if (duration is { } d)
        {
            Durations.Record(Math.Max(0, d.TotalSeconds), jobTag, stateTag);
        }
    }

    /// <summary>A scheduled run started <paramref name="lateness"/> after its slot.</summary>
    public static void Started(string job, TimeSpan lateness) =>
        Lateness.Record(Math.Max(0, lateness.TotalSeconds), new KeyValuePair<string, object?>("job", job));
}
