using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace Vigil.Api.Metrics;

/// <summary>
/// Listens to Vigil's meters (every meter whose name starts with <c>Vigil</c>) and keeps what the
/// Prometheus exposition needs: counter sums and histogram buckets per label set, and gauges
/// observed at scrape time.
/// </summary>
/// <remarks>
/// Measurements are folded in as they happen (a lock per instrument, no allocation for a known
/// label set beyond the key); a scrape copies the state, so it never blocks the engine for long.
/// </remarks>
internal sealed partial class MetricsCollector : IDisposable
{
    private static readonly IReadOnlyList<double> DefaultBounds = Telemetry.VigilMetrics.SecondsBuckets;

    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, InstrumentState> _instruments = [];
    private readonly Lock _gate = new();

    /// <summary>Starts listening.</summary>
    public MetricsCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!instrument.Meter.Name.StartsWith("Vigil", StringComparison.Ordinal))
            {
                return;
            }

            var state = new InstrumentState(instrument, KindOf(instrument), BoundsOf(instrument));
            lock (_gate)
            {
                _instruments[instrument] = state;
            }

            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_gate)
            {
                _instruments.Remove(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentState)state!).Add(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentState)state!).Add(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentState)state!).Add(value, tags));
        _listener.Start();
    }

    /// <summary>Observes the gauges and returns every family, ordered by name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        InstrumentState[] states;
        lock (_gate)
        {
            states = [.. _instruments.Values];
        }

        foreach (var state in states.Where(s => s.Kind == MetricKind.Gauge))
        {
            state.Clear();
        }

        _listener.RecordObservableInstruments();
        return [.. states.Select(s => s.Snapshot()).OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// The exposed name: dots become underscores, a unit of seconds adds <c>_seconds</c>
    /// (<c>vigil.run.duration</c> → <c>vigil_run_duration_seconds</c>).
    /// </summary>
    internal static string ExposedName(Instrument instrument)
    {
        var name = InvalidNameCharacters().Replace(instrument.Name, "_");
        return instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal) ? name + "_seconds" : name;
    }

    private static MetricKind KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? MetricKind.Counter
            : definition == typeof(Histogram<>) ? MetricKind.Histogram
            : MetricKind.Gauge;
    }

    private static IReadOnlyList<double> BoundsOf(Instrument instrument) =>
        instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } ? bounds : DefaultBounds;

    [GeneratedRegex("[^a-zA-Z0-9_:]")]
    private static partial Regex InvalidNameCharacters();

    /// <summary>One instrument's series by label set.</summary>
    private sealed class InstrumentState(Instrument instrument, MetricKind kind, IReadOnlyList<double> bounds)
    {
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public MetricKind Kind { get; } = kind;

        public void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            var key = string.Join('\u0001', labels.Select(l => l.Key + "\u0002" + l.Value));
            lock (_gate)
            {
                if (!_series.TryGetValue(key, out var series))
                {
                    series = new Series(labels, Kind == MetricKind.Histogram ? new long[bounds.Count + 1] : null);
                    _series[key] = series;
                }

                switch (Kind)
                {
                    case MetricKind.Counter:
                        series.Value += value;
                        break;
                    case MetricKind.Gauge:
                        series.Value = value;
                        break;
                    default:
                        var index = 0;
                        while (index < bounds.Count && value > bounds[index])
                        {
                            index++;
                        }

                        series.Buckets![index]++;
                        series.Value++;
                        series.Sum += value;
                        break;
                }
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _series.Clear();
            }
        }

        public MetricFamily Snapshot()
        {
            lock (_gate)
            {
                var series = _series.OrderBy(s => s.Key, StringComparer.Ordinal)
                    .Select(s => new MetricSeries(s.Value.Labels, s.Value.Value, Kind == MetricKind.Histogram ? bounds : null, s.Value.Buckets?.ToArray(), s.Value.Sum))
                    .ToList();
                return new MetricFamily(ExposedName(instrument), instrument.Description ?? instrument.Name, Kind, series);
            }
        }

        private static List<KeyValuePair<string, string>> Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new List<KeyValuePair<string, string>>(tags.Length);
            foreach (var (key, value) in tags)
            {
                labels.Add(new(InvalidLabelCharacters().Replace(key, "_"), Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
            }

            labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return labels;
        }
    }

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex InvalidLabelCharacters();

    private sealed class Series(IReadOnlyList<KeyValuePair<string, string>> labels, long[]? buckets)
    {
        public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

        public long[]? Buckets { get; } = buckets;

        public double Value { get; set; }

        public double Sum { get; set; }
    }
}
