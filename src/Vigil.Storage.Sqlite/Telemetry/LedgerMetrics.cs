using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vigil.Storage.Sqlite.Telemetry;

/// <summary>
/// The SQLite ledger's instruments (meter <c>Vigil.Storage.Sqlite</c>): write latency (queued to
/// committed), commits, and commits per second since the previous observation.
/// </summary>
internal static class LedgerMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Vigil.Storage.Sqlite";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> WriteLatency = Meter.CreateHistogram(
        "vigil.ledger.write.duration", unit: "s", description: "Time from queueing a ledger write to its commit (group commit included)",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly Counter<long> Commits = Meter.CreateCounter<long>(
        "vigil.ledger.commits", unit: null, description: "Transactions the ledger's writer committed (each one flush to disk)");

    private static readonly Lock Gate = new();
    private static long _total;
    private static long _observedTotal;
    private static long _observedAt = Stopwatch.GetTimestamp();

    static LedgerMetrics()
    {
        Meter.CreateObservableGauge(
            "vigil.ledger.commits_per_second", ObserveRate, unit: null, description: "Ledger commits per second since the previous observation");
    }

    /// <summary>One transaction committed, carrying writes queued at <paramref name="enqueuedTimestamps"/>.</summary>
    public static void Committed(IEnumerable<long> enqueuedTimestamps)
    {
        Interlocked.Increment(ref _total);
        Commits.Add(1);
        if (!WriteLatency.Enabled)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var enqueued in enqueuedTimestamps)
        {
            WriteLatency.Record(Stopwatch.GetElapsedTime(enqueued, now).TotalSeconds);
        }
    }

    private static double ObserveRate()
    {
        lock (Gate)
        {
            var now = Stopwatch.GetTimestamp();
            var total = Interlocked.Read(ref _total);
            var elapsed = Stopwatch.GetElapsedTime(_observedAt, now).TotalSeconds;
            var rate = elapsed > 0 ? (total - _observedTotal) / elapsed : 0;
            _observedTotal = total;
            _observedAt = now;
            return rate;
        }
    }
}
