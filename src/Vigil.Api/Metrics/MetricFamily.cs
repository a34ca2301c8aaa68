namespace Vigil.Api.Metrics;

/// <summary>The kinds the Prometheus text format knows that Vigil uses.</summary>
internal enum MetricKind
{
    /// <summary>Only goes up; exposed with a <c>_total</c> suffix.</summary>
    Counter,

    /// <summary>A value observed at scrape time.</summary>
    Gauge,

    /// <summary>Cumulative buckets, a sum and a count.</summary>
    Histogram,
}

/// <summary>One metric with all its series, ready to be written.</summary>
/// <param name="Name">The exposed name (without <c>_total</c>, <c>_bucket</c>... suffixes).</param>
/// <param name="Help">One line of description.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Series">One entry per label set, ordered.</param>
internal sealed record MetricFamily(string Name, string Help, MetricKind Kind, IReadOnlyList<MetricSeries> Series);

/// <summary>One label set's value (counters and gauges) or histogram.</summary>
/// <param name="Labels">Label names and values, ordered by name.</param>
/// <param name="Value">The counter's or gauge's value.</param>
/// <param name="Bounds">Histogram bucket upper bounds (ascending, without +Inf).</param>
/// <param name="BucketCounts">Non-cumulative counts per bound, then one for +Inf.</param>
/// <param name="Sum">The histogram's sum.</param>
internal sealed record MetricSeries(
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    double Value,
    IReadOnlyList<double>? Bounds = null,
    IReadOnlyList<long>? BucketCounts = null,
    double Sum = 0);
