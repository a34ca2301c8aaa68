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
    private readonly IDaemonLink _daemon;
    private volatile Dictionary<string, int> _openByKind = new Dictionary<string, int>();

    /// <summary>Creates the gauges over <paramref name="daemon"/>.</summary>
    public DaemonMeters(IDaemonLink daemon)
    {
        _daemon = daemon;
        _meter.CreateObservableGauge(
            "vigil.incidents.open",
            () => Enum.GetValues<Incidents.IncidentKind>().Select(kind => new Measurement<int>(
                _openByKind.TryGetValue(Incidents.IncidentKinds.Name(kind), out var count) ? count : 0,
                new KeyValuePair<string, object?>("kind", Incidents.IncidentKinds.Name(kind)))),
            unit: null,
            description: "Unresolved (open or acknowledged) incidents, by kind");
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

    /// <summary>
    /// Re-reads the unresolved incidents from the ledger, so the next observation of
    /// <c>vigil.incidents.open</c> is current (called before every scrape; the gauge itself cannot await).
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var unresolved = await _daemon.Store.ListIncidentsAsync(
            new Incidents.IncidentQuery { States = [Incidents.IncidentState.Open, Incidents.IncidentState.Acknowledged], Limit = 100_000 },
            cancellationToken).ConfigureAwait(false);
        _openByKind = unresolved.GroupBy(i => Incidents.IncidentKinds.Name(i.Kind)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
