using System.Diagnostics.Metrics;
using Vigil.Api.Hosting;

namespace Vigil.Api.Metrics;

/// <summary>
/// The daemon's own gauges (meter <c>Vigil.Daemon</c>): how long ago the engine's loop went round,
/// and whether recovery is done. Observed at scrape or export time.
/// </summary>
internal sealed class DaemonMeters : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Vigil.Daemon";

    private readonly Meter _meter = new(MeterName);

    /// <summary>Creates the gauges over <paramref name="daemon"/>.</summary>
    public DaemonMeters(IDaemonLink daemon)
    {
        _meter.CreateObservableGauge(
            "vigil.loop.heartbeat.age",
            () => daemon.LastLoopAt is { } last
                ? [new Measurement<double>(Math.Max(0, (daemon.Time.GetUtcNow() - last).TotalSeconds))]
                : Array.Empty<Measurement<double>>(),
            unit: "s",
            description: "Seconds since the engine's loop last went round (it goes round at least once a minute)");
        _meter.CreateObservableGauge(
            "vigil.ready",
            () => daemon.Ready ? 1 : 0,
            unit: null,
            description: "1 once recovery is done and the loop runs");
    }

    /// <summary>The meter, for callers that add daemon-level instruments.</summary>
    public Meter Meter => _meter;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
